use crate::rules::{Context, Sink};
use crate::facts::Provider;
use crate::model::frontend::id_keys;
use crate::model::lb_id::{is_placeholder, malformed};
use crate::text::quote;

declare_rule! {
    /// A load-balancer ID that is a placeholder, or not of its cloud's form.
    ///
    /// ## What it does
    /// Notes each Service and Ingress whose ID annotation (`kubernetes.io/elb.id`,
    /// `service.kubernetes.io/tke-existed-lbid`, `kubernetes.io/ingress.existLbId`) holds a
    /// placeholder rather than an ID: `<your-elb-id>`, `lb-********`, `${ELB_ID}`, `{{ .elb }}`,
    /// `xxx`, words such as `your-elb-id`, or nothing at all. Such an object is planned with a load
    /// balancer of its own, `placeholder:<cluster>/<namespace>/<name>`, shared with no other
    /// object: two examples that both say `<your-elb-id>` do not conflict. It also notes an ID that
    /// is not of its cloud's form: a Huawei Cloud ELB ID is a UUID
    /// (`5083f225-9bf8-48fa-9c8b-67bd9693c4c0`), a Tencent Cloud CLB ID is `lb-` and 8 lowercase
    /// letters or digits (`lb-6swtq2zk`). China Telecom Cloud does not document the form of its ELB
    /// IDs, so they are not checked (give `--provider ctyun-cce`: the CCE annotations alone read as
    /// Huawei's).
    ///
    /// ## Why it matters
    /// Applied as written, the controller finds no load balancer by that ID and the Service never
    /// gets one; in a repository of examples, planning the placeholder as a real, shared load
    /// balancer would report conflicts between examples that never meet.
    ///
    /// ## Example
    /// ```yaml
    /// annotations:
    ///   kubernetes.io/elb.id: <your-elb-id>
    /// ```
    ///
    /// ## Fix
    /// Write the ID of the load balancer (the ELB or CLB console shows it), or render the template
    /// that fills it in and lint what it renders. A file that is an example on purpose can stay as
    /// it is: this is an info.
    pub struct PlaceholderLbId {
        code: "LB026",
        name: "placeholder-lb-id",
        severity: Info,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.frontends() {
        let object = cx.object(f.object);
        let annotations = object.annotations();
        let Some(a) = id_keys(f.provider, f.is_ingress())
            .iter()
            .find_map(|k| annotations.get(k))
        else {
            continue;
        };
        let value = quote(a.value.trim());
        let (message, caption, help) = if is_placeholder(&a.value) {
            if a.value.trim().is_empty() && f.autocreate.is_some() {
                continue; // an empty ID beside elb.autocreate: the ELB is created
            }
            let planned = if f.lb.is_auto() {
                format!("planned as auto-created ({})", f.lb.id())
            } else {
                format!("planned as a load balancer of its own ({}), shared with no other object", f.lb.id())
            };
            (
                format!("{} {value} is a placeholder, not a load-balancer ID: {planned}", a.key),
                "a placeholder",
                "write the load balancer's ID (the console shows it), or lint the rendered manifest that fills it in",
            )
        } else {
            let Some(provider) = f.provider else {
                continue;
            };
            let Some(form) = malformed(provider, &a.value) else {
                continue;
            };
            let help = if provider == Provider::HuaweiCce {
                "copy the ID from the ELB console; on China Telecom Cloud CCE, whose ID form is not checked, give --provider ctyun-cce"
            } else {
                "copy the ID from the CLB console"
            };
            (
                format!("{} {value} is not a load-balancer ID of this cloud: {form}", a.key),
                "not an ID of this cloud",
                help,
            )
        };
        out.push(
            cx.finding(&META, f.object, a.origin, message)
                .caption(caption)
                .help(help),
        );
    }
}

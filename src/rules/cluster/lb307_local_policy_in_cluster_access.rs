use crate::rules::{Context, Sink};
use crate::facts::{Gate, Provider};
use crate::model::Mode;
use crate::model::frontend::PassThrough;

declare_rule! {
    /// `externalTrafficPolicy: Local` on a LoadBalancer Service, or pass-through to a dedicated ELB.
    ///
    /// ## What it does
    /// Notes two cases where in-cluster calls to a LoadBalancer Service's address fail depending on
    /// where the caller runs:
    ///
    /// - `externalTrafficPolicy: Local` on a LoadBalancer Service, unless CCE pass-through
    ///   (`kubernetes.io/elb.pass-through`) is written on a cluster that supports it (1.16 and
    ///   later). On Huawei CCE, `Local` sets pass-through `onlyLocal` by itself (ground truth
    ///   §1.6): the finding stays, as China Telecom Cloud CCE's "负载均衡(LoadBalancer)" lists the
    ///   failures for `Local`, but the help does not recommend a pass-through that is already on.
    /// - A dedicated ELB (`kubernetes.io/elb.class: performance`) that reaches the nodes (not CCE
    ///   Turbo, where it reaches the pods) with pass-through on, whatever the traffic policy: the
    ///   same page says "独享型负载均衡配置pass-through后，在工作负载同节点和同
    ///   节点容器内无法通过Service访问" (with pass-through on a dedicated ELB, the Service cannot be
    ///   reached from the workload's own node, nor from containers on that node).
    ///
    /// ## Why it matters
    /// kube-proxy treats the load balancer's address as the Service's external IP and handles
    /// in-cluster requests to it itself. With `Local`, a node without a backend pod drops them, so
    /// pods and nodes calling the LB address fail intermittently, depending on where they run
    /// (China Telecom Cloud CCE, "负载均衡(LoadBalancer)"). With pass-through, the requests go out to
    /// the ELB instead, and a dedicated ELB does not send them back to the node they came from.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Local
    /// ```
    ///
    /// ## Fix
    /// Inside the cluster use the Service's ClusterIP or DNS name; or, on CCE without pass-through,
    /// set `kubernetes.io/elb.pass-through: "true"` so that in-cluster traffic goes through the ELB
    /// (not on a dedicated ELB, whose own node then cannot reach it).
    pub struct LocalPolicyInClusterAccess {
        code: "LB307",
        name: "local-policy-in-cluster-access",
        severity: Info,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.frontends() {
        let object = cx.object(f.object);
        let Some(service) = object.as_service() else {
            continue;
        };
        let facts = &cx.cluster(f.object).facts;
        let local = service.local_traffic_policy();
        let pass_through = if f.is_cce() {
            f.pass_through(local.map(|p| p.origin), facts.version.as_ref())
        } else {
            PassThrough::Off(None)
        };
        // On CCE Turbo a dedicated ELB sends straight to the pods (pod mode); the documents
        // describe the own-node failure for the ELB reaching nodes (ground truth §1.8: CCE
        // Standard).
        if f.is_dedicated() && f.mode == Mode::Node && pass_through.is_on() {
            let origin = pass_through.origin().unwrap_or(f.lb.origin());
            let implied = if matches!(pass_through, PassThrough::Implied(_)) {
                " (onlyLocal, which Huawei CCE sets for externalTrafficPolicy: Local)"
            } else {
                ""
            };
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    origin,
                    format!("pass-through{implied} on a dedicated ELB: pods and nodes cannot reach this Service's ELB address from the node its pods run on"),
                )
                .caption("unreachable from the pod's own node")
                .help("inside the cluster call the Service by its ClusterIP or DNS name"),
            );
            continue;
        }
        let Some(policy) = local else {
            continue;
        };
        // Pass-through sends in-cluster traffic through the ELB, except on 1.15 and older, which
        // do not support it (LB311 reports that).
        let unsupported = facts
            .version
            .as_ref()
            .and_then(|v| v.below(Gate::minor(1, 16)))
            == Some(true);
        if f.is_cce() && f.pass_through_on() && !unsupported {
            continue;
        }
        let advice = match pass_through {
            _ if !f.is_cce() => "",
            PassThrough::Implied(_) => {
                " (Huawei CCE already sets pass-through onlyLocal for externalTrafficPolicy: Local here)"
            }
            _ if f.provider == Some(Provider::HuaweiCce) => {
                ", or set kubernetes.io/elb.pass-through: \"true\" (which Huawei CCE sets itself for Local from v1.19)"
            }
            _ => ", or set kubernetes.io/elb.pass-through: \"true\"",
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                policy.origin,
                "with externalTrafficPolicy: Local the load balancer address may be unreachable from inside the cluster",
            )
            .caption("in-cluster calls to the LB address depend on the node")
            .help(format!("inside the cluster call the Service by its ClusterIP or DNS name{advice}")),
        );
    }
}

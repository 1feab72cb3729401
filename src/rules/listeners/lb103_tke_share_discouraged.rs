use crate::rules::{Context, Sink};
use crate::k8s::Protocol;
use crate::model::FrontendId;

declare_rule! {
    /// A CLB is shared by several Services for something other than TCP and UDP on one port.
    ///
    /// ## What it does
    /// On TKE, looks at each CLB named by more than one Service and reports each of them with a
    /// port that is not the TCP or UDP half of a TCP+UDP pair on the same port.
    ///
    /// ## Why it matters
    /// Tencent documents CLB sharing for one purpose, exposing TCP and UDP on the same port of one
    /// VIP, and advises against it otherwise (Tencent Cloud TKE, "Multiple Services Sharing a CLB"): shared CLBs are synchronised serially,
    /// rolling several of their Services at once can leave traffic on removed backends, and
    /// listeners count against one CLB's quota.
    ///
    /// ## Example
    /// ```yaml
    /// # Service a: tke-existed-lbid: lb-1, ports: [{port: 80}]
    /// # Service b: tke-existed-lbid: lb-1, ports: [{port: 443}]
    /// ```
    ///
    /// ## Fix
    /// Give each Service its own CLB unless it serves the same port over the other protocol.
    pub struct TkeShareDiscouraged {
        code: "LB103",
        name: "tke-share-discouraged",
        severity: Info,
        scope: Tke,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        if lb.auto {
            continue;
        }
        let services: Vec<FrontendId> = planned
            .frontends()
            .iter()
            .copied()
            .filter(|&fid| {
                let f = cx.inv.frontend(fid);
                f.is_tke() && !f.is_ingress()
            })
            .collect();
        if services.len() < 2 {
            continue;
        }
        for &fid in &services {
            let f = cx.inv.frontend(fid);
            let unpaired = f.claims.iter().find(|claim| {
                let partner = match claim.protocol {
                    Protocol::Tcp => Protocol::Udp,
                    Protocol::Udp => Protocol::Tcp,
                    _ => return true,
                };
                !services.iter().any(|&other| {
                    other != fid
                        && cx
                            .inv
                            .frontend(other)
                            .claims
                            .iter()
                            .any(|c| c.port == claim.port && c.protocol == partner)
                })
            });
            let Some(claim) = unpaired else { continue };
            let Some(&other) = services.iter().find(|&&o| o != fid) else {
                continue;
            };
            let other = cx.inv.frontend(other);
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    f.lb.origin(),
                    format!(
                        "CLB {} is shared with {} for {}:{}, not for TCP and UDP on one port",
                        lb.id,
                        cx.qualified_name(other.object),
                        claim.protocol,
                        claim.port
                    ),
                )
                .caption("shared CLB")
                .help("Tencent recommends sharing a CLB only to serve TCP and UDP on the same port; give this Service its own CLB")
                .related(other.lb.origin(), Some(cx.object_name(other.object)), "also uses this CLB"),
            );
        }
    }
}

use super::{Context, Sink};
use crate::model::Protocol;

declare_rule! {
    /// A CLB is shared by several Services for something other than TCP and UDP on one port.
    ///
    /// ## What it does
    /// On TKE, looks at each CLB named by more than one Service and reports each Service (after the
    /// first) with a port that is not the TCP or UDP half of a TCP+UDP pair on the same port.
    ///
    /// ## Why it matters
    /// Tencent documents CLB sharing for one purpose, exposing TCP and UDP on the same port of one
    /// VIP, and advises against it otherwise (seed 000): shared CLBs are synchronised serially,
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
    }
}

impl_rule!(TkeShareDiscouraged, check);

fn check(cx: &Context, out: &mut Sink) {
    for lb in &cx.plan.load_balancers {
        if lb.auto {
            continue;
        }
        let services: Vec<usize> = lb
            .frontends
            .iter()
            .copied()
            .filter(|&fid| {
                let f = cx.inv.frontend(fid);
                f.is_tke() && !f.is_ingress(cx.inv)
            })
            .collect();
        let Some((&first, rest)) = services.split_first() else {
            continue;
        };
        for &fid in rest {
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
            let first_f = cx.inv.frontend(first);
            out.push(
                cx.finding(
                    &TkeShareDiscouraged::META,
                    f.object,
                    f.lb_origin,
                    format!(
                        "CLB {} is shared with {} for {}:{}, not for TCP and UDP on one port",
                        lb.id,
                        cx.display(first_f.object),
                        claim.protocol,
                        claim.port
                    ),
                )
                .label("shared CLB")
                .help("Tencent recommends sharing a CLB only to serve TCP and UDP on the same port; give this Service its own CLB")
                .related(first_f.lb_origin, Some(cx.label(first_f.object)), "also uses this CLB"),
            );
        }
    }
}

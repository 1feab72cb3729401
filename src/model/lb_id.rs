//! What a load-balancer ID annotation holds: a cloud ID, a placeholder left from an example or a
//! template (`<your-elb-id>`, `lb-********`, `${ELB_ID}`, `{{ .elb }}`), or an ID that is not of
//! its cloud's form.
//!
//! A placeholder names no load balancer: planned as one, two examples with the same
//! `<your-elb-id>` would share it and conflict. The plan gives each its own key, `placeholder:`
//! (see `frontend/build.rs`), and LB026 says so. The forms: Huawei Cloud ELB IDs are UUIDs
//! (`5083f225-9bf8-48fa-9c8b-67bd9693c4c0`), Tencent Cloud CLB IDs `lb-` and 8 lowercase letters or
//! digits (`lb-6swtq2zk`). China Telecom Cloud does not document its form: not checked.

use crate::facts::Provider;

/// Whether `text` is a placeholder rather than an ID: empty, or holding `<…>`, `***`, `${…}`,
/// `{{…}}` or `xxx` (any case), or only words such as `your-elb-id`.
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    t.is_empty()
        || (t.contains('<') && t.contains('>'))
        || t.contains("***")
        || (t.contains("${") && t.contains('}'))
        || t.contains("{{")
        || lower.contains("xxx")
        || PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w))
}

/// Words no cloud ID holds (IDs are hexadecimal, or `lb-` and 8 characters), which examples put
/// where an ID belongs.
const PLACEHOLDER_WORDS: [&str; 6] = ["your", "replace", "changeme", "example", "elb-id", "lb-id"];

/// The form `text` should have on `provider`'s cloud, when it does not: `None` when it has it,
/// or when the cloud's form is not known (CT Cloud).
pub fn malformed(provider: Provider, text: &str) -> Option<&'static str> {
    let t = text.trim();
    match provider {
        Provider::HuaweiCce if !is_uuid(t) => {
            Some("a Huawei Cloud ELB ID is a UUID, such as 5083f225-9bf8-48fa-9c8b-67bd9693c4c0")
        }
        Provider::TencentTke if !is_clb_id(t) => Some(
            "a Tencent Cloud CLB ID is lb- and 8 lowercase letters or digits, such as lb-6swtq2zk",
        ),
        _ => None,
    }
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(t: &str) -> bool {
    let groups: Vec<&str> = t.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `lb-` and 8 lowercase letters or digits.
fn is_clb_id(t: &str) -> bool {
    t.strip_prefix("lb-").is_some_and(|rest| {
        rest.len() == 8
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised_by_shape() {
        for text in [
            "<your-elb-id>",
            "lb-********",
            "${ELB_ID}",
            "{{ .Values.elb }}",
            "lb-xxxxxxxx",
            "XXX",
            "",
            "  ",
            "your_elb_id",
            "REPLACE_ME",
        ] {
            assert!(is_placeholder(text), "{text:?}");
        }
        for text in [
            "5083f225-9bf8-48fa-9c8b-67bd9693c4c0",
            "lb-6swtq2zk",
            "lb-abcd1234",
            "elb-1",
        ] {
            assert!(!is_placeholder(text), "{text:?}");
        }
    }

    #[test]
    fn ids_are_checked_against_their_clouds_form() {
        let uuid = "5083f225-9bf8-48fa-9c8b-67bd9693c4c0";
        assert_eq!(malformed(Provider::HuaweiCce, uuid), None);
        assert!(malformed(Provider::HuaweiCce, "lb-6swtq2zk").is_some());
        assert!(malformed(Provider::HuaweiCce, "5083f225-9bf8-48fa-9c8b").is_some());
        assert_eq!(malformed(Provider::TencentTke, "lb-6swtq2zk"), None);
        assert!(malformed(Provider::TencentTke, "lb-6SWTXXQZ").is_some());
        assert!(malformed(Provider::TencentTke, uuid).is_some());
        // CT Cloud's form is not documented: nothing is checked.
        assert_eq!(malformed(Provider::CtyunCce, "anything"), None);
    }
}

//! The vendor documents the rules rest on, by title (the titles users can look up), and the
//! `seed 00N` numbers some rule documentation still uses for them: a page names the documents
//! by title whichever form its rule's documentation uses.

pub struct Document {
    /// The number of the captured copy in the project's sources (`seed 002`).
    pub seed: &'static str,
    pub title: &'static str,
    pub cloud: &'static str,
}

pub const DOCUMENTS: [Document; 5] = [
    Document {
        seed: "seed 000",
        title: "Multiple Services Sharing a CLB",
        cloud: "Tencent Cloud TKE",
    },
    Document {
        seed: "seed 001",
        title: "Use CLB-Pod Direct Connection on TKE",
        cloud: "Tencent Cloud TKE",
    },
    Document {
        seed: "seed 002",
        title: "为负载均衡类型的Service配置跨集群的后端",
        cloud: "Huawei Cloud CCE, user guide: configuring cross-cluster backends for a LoadBalancer Service",
    },
    Document {
        seed: "seed 003",
        title: "负载均衡(LoadBalancer)",
        cloud: "China Telecom Cloud CCE",
    },
    Document {
        seed: "seed 004",
        title: "Using Services with LoadBalancer Directly Connected to Pods",
        cloud: "Tencent Cloud TKE",
    },
];

/// The documents `text` cites, by title or by number, in the table's order.
pub fn cited(text: &str) -> Vec<&'static Document> {
    let cited_by_number: Vec<usize> = seed_references(text)
        .into_iter()
        .flat_map(|(_, _, documents)| documents)
        .collect();
    DOCUMENTS
        .iter()
        .enumerate()
        .filter(|(i, d)| cited_by_number.contains(i) || text.contains(d.title))
        .map(|(_, d)| d)
        .collect()
}

/// `text` with each `seed 00N` or `seeds 00N, 00M` (a line break may stand for a space) replaced
/// by the documents' titles, in quotes.
pub fn by_title(text: &str) -> String {
    let mut out = String::new();
    let mut from = 0;
    for (start, end, documents) in seed_references(text) {
        out.push_str(&text[from..start]);
        let titles: Vec<String> = documents
            .iter()
            .map(|&i| format!("\"{}\"", DOCUMENTS[i].title))
            .collect();
        out.push_str(&titles.join(", "));
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

/// Each `seed 00N` or `seeds 00N, 00M` of `text`: its byte range and the documents' indexes.
fn seed_references(text: &str) -> Vec<(usize, usize, Vec<usize>)> {
    let number = |rest: &str| {
        DOCUMENTS
            .iter()
            .position(|d| rest.starts_with(&d.seed["seed ".len()..]))
    };
    let mut found = Vec::new();
    for (start, _) in text.match_indices("seed") {
        let mut rest = text[start + 4..]
            .strip_prefix('s')
            .unwrap_or(&text[start + 4..]);
        let mut documents = Vec::new();
        let mut end = start;
        loop {
            let next = rest.trim_start_matches([' ', '\n', ',']);
            let next = next.strip_prefix("and ").unwrap_or(next);
            if next.len() == rest.len() && !documents.is_empty() {
                break;
            }
            let Some(i) = number(next).filter(|_| next.len() < rest.len()) else {
                break;
            };
            documents.push(i);
            rest = &next[3..];
            end = text.len() - rest.len();
        }
        if !documents.is_empty() {
            found.push((start, end, documents));
        }
    }
    found
}

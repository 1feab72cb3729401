//! The deserializer that builds a [`Node`] tree from the YAML or JSON parser's events: borrowed
//! strings get their span by pointer difference against the file text ([`Ctx`]), mapping keys
//! given as numbers or booleans are found just past where the parser is known to be, and fields
//! the [`Shape`] does not name are skipped unread. The parent module splits files into documents
//! and places the parsers' errors.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::source::Span;
use crate::source::node::{Entry, Node, Shape, Value};

/// The file text's address range, for turning borrowed strings into spans, and how far the parser
/// is known to have come.
pub(super) struct Ctx<'t> {
    text: &'t str,
    base: usize,
    len: usize,
    /// The end of the last span handed out: the parser has read the text up to here.
    reached: Cell<usize>,
}

/// How far past [`Ctx::reached`] a key the parser did not lend is looked for.
const KEY_SEARCH_WINDOW: usize = 512;

impl<'t> Ctx<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Ctx {
            text,
            base: text.as_ptr() as usize,
            len: text.len(),
            reached: Cell::new(0),
        }
    }

    fn span_of(&self, s: &str) -> Option<Span> {
        let start = (s.as_ptr() as usize).checked_sub(self.base)?;
        let end = start.checked_add(s.len())?;
        let span = (end <= self.len).then_some(Span::new(start, end))?;
        self.reached.set(self.reached.get().max(end));
        Some(span)
    }

    /// The span of a mapping key the parser gave as a number or boolean (`80:`, `true:`), which
    /// has no borrowed text: the first token spelled `printed` (ignoring ASCII case) and followed
    /// by `:` just after where the parser is known to be. `None` when it is spelled otherwise
    /// (`0x50`), and the key is then located at its mapping.
    fn find_key(&self, printed: &str) -> Option<Span> {
        if printed.is_empty() {
            return None;
        }
        let from = self.reached.get();
        let window = self.text.get(from..)?;
        let window = window
            .get(..KEY_SEARCH_WINDOW.min(window.len()))
            .or_else(|| window.get(..floor_boundary(window, KEY_SEARCH_WINDOW)))?;
        let bytes = window.as_bytes();
        let token = printed.as_bytes();
        for (i, _) in window.char_indices() {
            let Some(candidate) = bytes.get(i..i + token.len()) else {
                break;
            };
            if !candidate.eq_ignore_ascii_case(token) {
                continue;
            }
            let before = i.checked_sub(1).and_then(|j| bytes.get(j));
            let starts_token = before.is_none_or(|b| b" \t\r\n{,?-".contains(b));
            let after = bytes.get(i + token.len()..).unwrap_or_default();
            let colon = after.iter().position(|&b| b != b' ' && b != b'\t');
            if starts_token && colon.is_some_and(|c| after.get(c) == Some(&b':')) {
                let span = Span::new(from + i, from + i + token.len());
                self.reached.set(span.end);
                return Some(span);
            }
        }
        None
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub(super) struct NodeSeed<'c> {
    pub(super) ctx: &'c Ctx<'c>,
    pub(super) shape: &'static Shape,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Bool(v), None))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Int(v), None))
    }

    #[allow(
        clippy::cast_precision_loss,
        reason = "beyond i64 a YAML integer is kept as the float it approximates, like serde_yaml"
    )]
    fn visit_u64<E>(self, v: u64) -> Result<Node<'de>, E> {
        Ok(Node::new(
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int),
            None,
        ))
    }

    #[allow(
        clippy::cast_precision_loss,
        reason = "beyond i64 a YAML integer is kept as the float it approximates, like serde_yaml"
    )]
    fn visit_i128<E>(self, v: i128) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Float(v as f64), None))
    }

    #[allow(
        clippy::cast_precision_loss,
        reason = "beyond i64 a YAML integer is kept as the float it approximates, like serde_yaml"
    )]
    fn visit_u128<E>(self, v: u128) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Float(v as f64), None))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Float(v), None))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Str(Cow::Borrowed(v)), self.ctx.span_of(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Str(Cow::Owned(v.to_string())), None))
    }

    fn visit_string<E>(self, v: String) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Str(Cow::Owned(v)), None))
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Null, None))
    }

    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Null, None))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(NodeSeed {
            ctx: self.ctx,
            shape: self.shape,
        })? {
            items.push(item);
        }
        let span = items.first().and_then(|n| n.span);
        Ok(Node::new(Value::Seq(items), span))
    }

    #[allow(
        clippy::single_match_else,
        reason = "the two arms read alike as a match"
    )]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut entries: Vec<Entry<'de>> = Vec::new();
        while let Some((key, key_span)) = map.next_key_seed(KeySeed { ctx: self.ctx })? {
            let value = match self.shape.child(&key) {
                Some(shape) => map.next_value_seed(NodeSeed {
                    ctx: self.ctx,
                    shape,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                    Node::new(Value::Skipped, None)
                }
            };
            entries.push(Entry {
                key,
                key_span,
                value,
            });
        }
        let span = entries.first().and_then(|e| e.key_span);
        Ok(Node::new(Value::Map(entries), span))
    }

    /// A value with a tag the parser does not know (`!Ref x`): keep the value, drop the tag.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Node<'de>, A::Error> {
        use de::VariantAccess;
        let (_tag, variant) = data.variant_seed(KeySeed { ctx: self.ctx })?;
        variant.newtype_variant_seed(self)
    }
}

/// Mapping keys: strings (borrowed where possible, for their span) or scalars printed as strings.
struct KeySeed<'c> {
    ctx: &'c Ctx<'c>,
}

impl KeySeed<'_> {
    /// A key given as a scalar other than a string, printed as Kubernetes would, with its span
    /// when it can be found.
    fn printed<'de>(&self, text: String) -> (Cow<'de, str>, Option<Span>) {
        let span = self.ctx.find_key(&text);
        (Cow::Owned(text), span)
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = (Cow<'de, str>, Option<Span>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = (Cow<'de, str>, Option<Span>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok((Cow::Borrowed(v), self.ctx.span_of(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((Cow::Owned(v.to_string()), None))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok((Cow::Owned(v), None))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.printed(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.printed(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.printed(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(self.printed(v.to_string()))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((Cow::Borrowed(""), None))
    }

    /// Complex keys (`? [a, b]`) cannot name a Kubernetes field; consume them and keep a marker.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok((Cow::Borrowed("<complex key>"), None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok((Cow::Borrowed("<complex key>"), None))
    }
}

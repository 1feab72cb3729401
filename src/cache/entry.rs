//! One entry on disk: a first line naming the format, a second holding the SHA-256 of the
//! payload, then the payload. An entry whose checksum does not match (truncated by a full disk, a
//! crash mid-write on a file system that reorders writes, bytes flipped) is no entry: the render
//! runs again and replaces it.

use super::key::{digest, hex};

const MAGIC: &[u8] = b"lbplan-cache 1\n";

/// The bytes of an entry holding `payload`.
pub fn encode(payload: &[u8]) -> Vec<u8> {
    let sum = hex(&digest(payload));
    let mut out = Vec::with_capacity(MAGIC.len() + sum.len() + 1 + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(sum.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(payload);
    out
}

/// The payload of an entry, when the entry is whole.
pub fn decode(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (sum, payload) = (rest.get(..64)?, rest.get(64..)?);
    let payload = payload.strip_prefix(b"\n")?;
    (sum == hex(&digest(payload)).as_bytes()).then_some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_entries_decode_and_damaged_ones_do_not() {
        let entry = encode(b"kind: Service\n");
        assert_eq!(decode(&entry), Some(&b"kind: Service\n"[..]));
        assert_eq!(decode(&encode(b"")), Some(&b""[..]));
        for cut in 0..entry.len() {
            assert_eq!(decode(&entry[..cut]), None, "cut at {cut}");
        }
        let mut flipped = entry.clone();
        *flipped.last_mut().expect("byte") ^= 1;
        assert_eq!(decode(&flipped), None);
        let mut longer = entry;
        longer.push(b'x');
        assert_eq!(decode(&longer), None);
        assert_eq!(decode(b"not an entry"), None);
    }
}

//! Random secrets and their hashes. A secret leaves this server once (in an answer or a link)
//! and is kept only as its SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// A password or token from the operator's settings: the SDK's redacting wrapper, printed and
/// logged only as `<redacted>`.
pub use beckon_proto::Secret;

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored in place of a secret.
pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Whether `verifier` is the one behind an S256 code `challenge` (RFC 7636 §4.6):
/// `BASE64URL(SHA256(verifier)) == challenge`. The challenge is no secret (only its preimage
/// is), so a plain comparison leaks nothing useful.
pub fn matches_challenge(verifier: &str, challenge: &str) -> bool {
    let valid = (43..=128).contains(&verifier.len())
        && verifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'));
    valid && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

/// `len` random characters of `alphabet` (ASCII).
pub fn random_from(alphabet: &str, len: usize) -> String {
    let alphabet = alphabet.as_bytes();
    (0..len)
        .map(|_| alphabet[OsRng.gen_range(0..alphabet.len())] as char)
        .collect()
}

/// `len` random letters and digits.
pub fn random_alphanumeric(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| CHARS[OsRng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// Three distinct two-digit numbers, in ascending order.
pub fn three_link_numbers() -> [u8; 3] {
    let mut numbers = [0u8; 3];
    let mut filled = 0;
    while filled < 3 {
        let n = OsRng.gen_range(10..=99u8);
        if !numbers[..filled].contains(&n) {
            numbers[filled] = n;
            filled += 1;
        }
    }
    numbers.sort_unstable();
    numbers
}

/// An index in `0..n`, uniformly.
pub fn pick(n: usize) -> usize {
    OsRng.gen_range(0..n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_example_verifier_matches_its_challenge() {
        // RFC 7636 Appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(matches_challenge(verifier, challenge));
        assert!(!matches_challenge(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK",
            challenge
        ));
        assert!(!matches_challenge("short", challenge));
    }

    #[test]
    fn link_numbers_are_distinct_two_digit() {
        for _ in 0..1000 {
            let [a, b, c] = three_link_numbers();
            assert!((10..=99).contains(&a) && a < b && b < c && c <= 99);
        }
    }

    #[test]
    fn tokens_carry_256_bits_and_hash_stably() {
        let t = random_token();
        assert_eq!(t.len(), 43);
        assert_ne!(t, random_token());
        assert_eq!(hash(&t), hash(&t));
        assert_eq!(hash(&t).len(), 32);
    }
}

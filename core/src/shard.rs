//! The shard function of sharded keys. It decides where items are stored, so it is
//! part of the data format: it never changes between versions or platforms.

/// The shard (`0..count`) of an item whose shard fields are encoded as `segments`:
/// the fields' key-encoded values (as they appear in keys, percent-escaped, numbers
/// zero-padded, cased as their placeholders say) joined with `#`, in the order of
/// `shards.of`.
///
/// The hash is 64-bit FNV-1a over the UTF-8 bytes of `segments` (offset basis
/// `0xcbf29ce484222325`, prime `0x100000001b3`), and the shard is the hash modulo
/// `count`. It is simple to write in any language, so other writers of the table can
/// place items where dynaschema reads them. `count` of 0 is treated as 1.
///
/// ```
/// use dynaschema_core::shard_of;
///
/// // `shards = { count = 8, of = ["product_id"] }`, product `p-42`:
/// assert_eq!(shard_of("p-42", 8), 4);
/// // Two fields, `of = ["tenant", "order_id"]`:
/// assert!(shard_of("acme#0000000017", 16) < 16);
/// ```
pub fn shard_of(segments: &str, count: u32) -> u32 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = segments.bytes().fold(OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    });
    // The remainder is below `count`, a `u32`.
    u32::try_from(hash % u64::from(count.max(1))).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::shard_of;

    /// Published FNV-1a 64 test vectors, through `count = u32::MAX`'s remainder:
    /// the function is the standard one, not a look-alike.
    #[test]
    fn is_fnv_1a_64() {
        let fnv = |s: &str, expected: u64| {
            assert_eq!(
                u64::from(shard_of(s, u32::MAX)),
                expected % u64::from(u32::MAX),
                "{s:?}"
            );
        };
        fnv("", 0xcbf2_9ce4_8422_2325);
        fnv("a", 0xaf63_dc4c_8601_ec8c);
        fnv("foobar", 0x8594_4171_f739_67e8);
    }

    #[test]
    fn stays_in_range() {
        for count in [1, 2, 7, 8, 100] {
            for i in 0..1000 {
                assert!(shard_of(&format!("item-{i}"), count) < count);
            }
        }
        assert_eq!(shard_of("anything", 0), 0);
    }

    /// 10,000 ids over 8 shards: each shard within 10% of its 1,250 share.
    #[test]
    fn spreads_ids_evenly() {
        let mut shards = [0u32; 8];
        for i in 0..10_000 {
            shards[shard_of(&format!("P{i:05}"), 8) as usize] += 1;
        }
        for (shard, n) in shards.iter().enumerate() {
            assert!((1125..=1375).contains(n), "shard {shard}: {n} of 10,000");
        }
    }
}

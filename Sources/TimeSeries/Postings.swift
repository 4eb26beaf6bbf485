/// A postings list: the ids of the series that carry one label value, sorted ascending,
/// without duplicates. Series ids are handed out in increasing order, so appending a new id
/// keeps a list sorted. These free functions combine lists the way a selector combines
/// matchers: intersect for "and", merge for "any of these values", subtract for "not".
typealias Postings = [UInt32]

/// The ids in both lists (a linear merge; gallops over the longer list when one is short).
func intersect(_ left: Postings, _ right: Postings) -> Postings {
    let (short, long) = left.count <= right.count ? (left, right) : (right, left)
    var out = Postings()
    out.reserveCapacity(short.count)
    if short.count * 16 < long.count {
        // Few ids against many: binary-search each short id in the rest of the long list.
        var low = 0
        for id in short {
            var high = long.count
            while low < high {
                let mid = (low + high) / 2
                if long[mid] < id { low = mid + 1 } else { high = mid }
            }
            if low == long.count { break }
            if long[low] == id { out.append(id) }
        }
        return out
    }
    var i = 0, j = 0
    while i < short.count && j < long.count {
        let a = short[i], b = long[j]
        if a == b { out.append(a); i += 1; j += 1 } else if a < b { i += 1 } else { j += 1 }
    }
    return out
}

/// The ids in `left` that are not in `right`.
func subtract(_ left: Postings, _ right: Postings) -> Postings {
    guard !right.isEmpty else { return left }
    var out = Postings()
    out.reserveCapacity(left.count)
    var j = 0
    for id in left {
        while j < right.count && right[j] < id { j += 1 }
        if j == right.count || right[j] != id { out.append(id) }
    }
    return out
}

/// The ids in any of `lists`, sorted and unique. `bound` is one past the largest possible id:
/// large unions are collected in a bitmap of that size instead of by sorting.
func merge(_ lists: [Postings], bound: Int) -> Postings {
    switch lists.count {
    case 0: return []
    case 1: return lists[0]
    default: break
    }
    let total = lists.reduce(0) { $0 + $1.count }
    if total * 8 < bound {
        var all = Postings()
        all.reserveCapacity(total)
        for list in lists { all += list }
        all.sort()
        var out = Postings()
        out.reserveCapacity(all.count)
        for id in all where out.last != id { out.append(id) }
        return out
    }
    var bitmap = [UInt64](repeating: 0, count: (bound + 63) / 64)
    for list in lists {
        for id in list { bitmap[Int(id) >> 6] |= 1 << UInt64(id & 63) }
    }
    return collect(bitmap)
}

/// The ids whose bits are set, ascending.
func collect(_ bitmap: [UInt64]) -> Postings {
    var out = Postings()
    for (index, var word) in bitmap.enumerated() {
        while word != 0 {
            out.append(UInt32(index * 64 + word.trailingZeroBitCount))
            word &= word - 1
        }
    }
    return out
}

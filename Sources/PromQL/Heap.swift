/// `topk`/`bottomk` selection with the same heap as Go's `container/heap`, so that which of
/// several equal values survive is the same as in Prometheus.
enum Heap {
    /// The `k` largest (or smallest) elements in the order Prometheus returns them.
    static func top(_ k: Int, of elements: [VectorElement], largest: Bool) -> [VectorElement] {
        // `less` orders the heap: its root is the element to evict first. NaN is always "less".
        let less: (Double, Double) -> Bool = largest
            ? { $0.isNaN || $0 < $1 }
            : { $0.isNaN || $0 > $1 }
        var heap: [VectorElement] = []
        for element in elements {
            if heap.count < k {
                heap.append(element)
                up(&heap, heap.count - 1, less)
            } else if let root = heap.first,
                      largest ? (root.value < element.value || (root.value.isNaN && !element.value.isNaN))
                              : (root.value > element.value || (root.value.isNaN && !element.value.isNaN)) {
                heap[0] = element
                if k > 1 { down(&heap, 0, heap.count, less) }
            }
        }
        // Prometheus sorts the heap in reverse: best first, NaN last.
        return heap.enumerated().sorted { a, b in
            if less(b.element.value, a.element.value) != less(a.element.value, b.element.value) {
                return less(b.element.value, a.element.value)
            }
            return a.offset < b.offset
        }.map(\.element)
    }

    private static func up(_ heap: inout [VectorElement], _ index: Int, _ less: (Double, Double) -> Bool) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            if parent == child || !less(heap[child].value, heap[parent].value) { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private static func down(_ heap: inout [VectorElement], _ start: Int, _ count: Int, _ less: (Double, Double) -> Bool) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            if left >= count { break }
            var child = left
            if left + 1 < count && less(heap[left + 1].value, heap[left].value) { child = left + 1 }
            if !less(heap[child].value, heap[parent].value) { break }
            heap.swapAt(parent, child)
            parent = child
        }
    }
}

extension SpecNode {
    /// Deep-merges `overlay` onto `self`: mappings merge key by key (recursively), any other
    /// value in the overlay replaces the base value. Every node keeps the location of the
    /// file it came from, so findings in a base file point into the base file.
    func merged(with overlay: SpecNode) -> SpecNode {
        guard let baseEntries = entries, let overlayEntries = overlay.entries else { return overlay }
        var result = baseEntries
        for entry in overlayEntries {
            if let index = result.firstIndex(where: { $0.key == entry.key }) {
                result[index] = Entry(key: entry.key, keyLocation: entry.keyLocation, value: result[index].value.merged(with: entry.value))
            } else {
                result.append(entry)
            }
        }
        return SpecNode(content: .mapping(result), location: overlay.location)
    }

    /// This mapping without `key`.
    func removing(key: String) -> SpecNode {
        guard let entries else { return self }
        return SpecNode(content: .mapping(entries.filter { $0.key != key }), location: location)
    }
}

extension String {
    /// The longest prefix of at most `limit` UTF-8 bytes that ends on a character boundary.
    func cutToUTF8(maxBytes limit: Int) -> String {
        if utf8.count <= limit { return self }
        var result = ""
        var used = 0
        for character in self {
            let size = character.utf8.count
            if used + size > limit { break }
            result.append(character)
            used += size
        }
        return result
    }
}

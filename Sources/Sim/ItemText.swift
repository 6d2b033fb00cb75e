import Stats

/// Generated item text: each cluster has its own vocabulary, so titles and bodies carry the
/// cluster signal a TF-IDF content model can learn, diluted by shared filler words.
enum ItemText {
    /// Category names and words for the first clusters; later clusters get made-up words.
    static let themes: [(category: String, words: [String])] = [
        ("kitchen", ["skillet", "knife", "ceramic", "spatula", "saucepan", "whisk", "cast-iron", "nonstick", "cutting", "board"]),
        ("garden", ["hose", "planter", "seeds", "trowel", "compost", "pruner", "lawn", "watering", "soil", "greenhouse"]),
        ("books", ["novel", "paperback", "hardcover", "chapter", "author", "mystery", "biography", "poetry", "edition", "fiction"]),
        ("audio", ["headphones", "speaker", "bass", "wireless", "earbuds", "amplifier", "stereo", "noise-cancelling", "bluetooth", "microphone"]),
        ("outdoor", ["tent", "backpack", "hiking", "sleeping-bag", "lantern", "trail", "camping", "waterproof", "compass", "canteen"]),
        ("toys", ["puzzle", "blocks", "plush", "board-game", "doll", "robot", "crayons", "kite", "marbles", "train-set"]),
        ("fitness", ["dumbbell", "yoga", "treadmill", "kettlebell", "resistance", "mat", "protein", "workout", "jump-rope", "foam-roller"]),
        ("beauty", ["serum", "moisturizer", "lipstick", "fragrance", "shampoo", "mascara", "cleanser", "sunscreen", "lotion", "perfume"]),
        ("office", ["stapler", "notebook", "pen", "desk", "binder", "monitor", "ergonomic", "paper", "organizer", "lamp"]),
        ("pets", ["leash", "kibble", "litter", "aquarium", "collar", "chew", "catnip", "kennel", "grooming", "treats"]),
        ("music", ["guitar", "strings", "piano", "drumsticks", "ukulele", "metronome", "violin", "tuner", "sheet-music", "pedal"]),
        ("tools", ["drill", "wrench", "hammer", "screwdriver", "socket", "saw", "pliers", "level", "toolbox", "sander"]),
    ]

    /// Words every cluster uses, so documents are not trivially separable.
    static let shared = [
        "great", "quality", "new", "classic", "premium", "everyday", "gift", "durable", "light", "compact",
        "set", "pack", "best", "value", "design", "easy", "favorite", "home", "original", "essential",
    ]

    /// The category name and vocabulary of `cluster`.
    static func theme(of cluster: Int, using generator: inout SplitMix64) -> (category: String, words: [String]) {
        if cluster < themes.count { return themes[cluster] }
        let words = (0..<10).map { _ in madeUpWord(using: &generator) }
        return ("category-\(cluster + 1)", words)
    }

    /// A pronounceable made-up word of two or three syllables.
    static func madeUpWord(using generator: inout SplitMix64) -> String {
        let onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"]
        let vowels = ["a", "e", "i", "o", "u"]
        let length = 2 + Int(generator.next() % 2)
        return (0..<length).map { _ in
            onsets[Int(generator.next() % UInt64(onsets.count))] + vowels[Int(generator.next() % UInt64(vowels.count))]
        }.joined()
    }

    /// A title: brand, two cluster words and one shared word.
    static func title(brand: String, words: [String], using generator: inout SplitMix64) -> String {
        let first = pick(words, using: &generator)
        let second = pick(words, using: &generator)
        return "\(brand) \(pick(shared, using: &generator)) \(first) \(second)"
    }

    /// A body of 12–20 words, 70 % from the cluster's vocabulary, with commas and an occasional quote.
    static func body(words: [String], using generator: inout SplitMix64) -> String {
        let count = 12 + Int(generator.next() % 9)
        var text = ""
        for index in 0..<count {
            let word = generator.nextUnitDouble() < 0.7 ? pick(words, using: &generator) : pick(shared, using: &generator)
            if index > 0 { text += generator.nextUnitDouble() < 0.12 ? ", " : " " }
            text += word
        }
        if generator.nextUnitDouble() < 0.1 { text += " \"limited edition\"" }
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    /// A made-up brand name.
    static func brand(_ index: Int, using generator: inout SplitMix64) -> String {
        let word = madeUpWord(using: &generator)
        return word.prefix(1).uppercased() + word.dropFirst() + (index % 3 == 0 ? "co" : "")
    }

    private static func pick(_ words: [String], using generator: inout SplitMix64) -> String {
        words[Int(generator.next() % UInt64(words.count))]
    }
}

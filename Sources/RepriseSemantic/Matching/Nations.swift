/// Countries and regions under the names people use for them and their inhabitants, so that "Japan" and
/// "Japanese", "America", "US" and "United States" count as one name in the entities guard. A closed table
/// rather than a suffix rule: "Julia" is no country of "Julian", nor "Indiana" of "Indian".
enum Nations {
    /// The country a lower-cased word or phrase names, or `nil`.
    static func country(named name: String) -> String? {
        table[name]
    }

    /// Phrases of several words that name a country, longest first, lower-cased and split into words.
    static let phrases: [[String]] = table.keys.filter { $0.contains(" ") }
        .map { $0.split(separator: " ").map(String.init) }
        .sorted { $0.count > $1.count }

    private static let table: [String: String] = {
        let groups: [[String]] = [
            ["united states", "united states of america", "us", "usa", "america", "american", "americans"],
            ["united kingdom", "uk", "britain", "great britain", "british"],
            ["india", "indian", "indians"], ["china", "chinese"], ["japan", "japanese"],
            ["germany", "german", "germans"], ["france", "french"], ["italy", "italian", "italians"],
            ["spain", "spanish"], ["portugal", "portuguese"], ["russia", "russian", "russians"],
            ["canada", "canadian", "canadians"], ["mexico", "mexican", "mexicans"], ["brazil", "brazilian", "brazilians"],
            ["argentina", "argentine", "argentinian"], ["chile", "chilean"], ["colombia", "colombian"],
            ["peru", "peruvian"], ["cuba", "cuban"], ["australia", "australian", "australians"],
            ["pakistan", "pakistani", "pakistanis"], ["bangladesh", "bangladeshi"], ["nepal", "nepali", "nepalese"],
            ["korea", "korean", "koreans"], ["vietnam", "vietnamese"], ["thailand", "thai"],
            ["philippines", "filipino", "filipinos", "philippine"], ["indonesia", "indonesian"],
            ["malaysia", "malaysian"], ["singapore", "singaporean"], ["turkey", "turkish", "turk", "turks"],
            ["iran", "iranian", "iranians"], ["iraq", "iraqi", "iraqis"], ["israel", "israeli", "israelis"],
            ["egypt", "egyptian", "egyptians"], ["syria", "syrian", "syrians"], ["afghanistan", "afghan", "afghans"],
            ["greece", "greek", "greeks"], ["sweden", "swedish", "swede", "swedes"], ["norway", "norwegian"],
            ["denmark", "danish", "dane", "danes"], ["finland", "finnish"], ["netherlands", "holland", "dutch"],
            ["poland", "polish"], ["ireland", "irish"], ["scotland", "scottish", "scots"], ["wales", "welsh"],
            ["switzerland", "swiss"], ["austria", "austrian"], ["belgium", "belgian"], ["ukraine", "ukrainian"],
            ["nigeria", "nigerian", "nigerians"], ["kenya", "kenyan", "kenyans"], ["africa", "african", "africans"],
            ["europe", "european", "europeans"], ["asia", "asian", "asians"],
        ]
        var table: [String: String] = [:]
        for group in groups {
            for name in group { table[name] = group[0] }
        }
        return table
    }()
}

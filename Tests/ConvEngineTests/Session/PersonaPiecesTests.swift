import Testing

@testable import ConvEngine

@Suite struct PersonaPiecesTests {
    /// Every line of every persona streams back as exactly itself, in groups of one to three
    /// words (two to four characters without spaces), the same for the same seed.
    @Test(arguments: Persona.all.map(\.name))
    func piecesRebuildTheLineInSmallGroups(persona name: String) throws {
        let persona = try #require(Persona.named(name))
        var random = SimRandom(seed: 11)
        for line in persona.userLines + persona.agentLines + ["", "one", "two  spaces", " edge "] {
            var again = random
            let pieces = persona.pieces(of: line, using: &random)
            #expect(pieces == persona.pieces(of: line, using: &again))
            #expect(pieces.joined() == line)
            for (i, piece) in pieces.enumerated() {
                if persona.wordSeparator.isEmpty {
                    #expect(piece.count <= 4 && (piece.count >= 2 || i == pieces.count - 1))
                } else {
                    let words = piece.split(separator: " ", omittingEmptySubsequences: false).count - (i == 0 ? 0 : 1)
                    #expect((1...3).contains(words), "\(piece)")
                    #expect(i == 0 || piece.hasPrefix(" "))
                }
            }
        }
    }
}

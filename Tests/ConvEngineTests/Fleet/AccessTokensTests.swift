import ConvEngine
import Foundation
import Testing
import TestSupport

@Suite("Access tokens")
struct AccessTokensTests {
    @Test("the bearer token picks the role; anything else has none")
    func roles() throws {
        let tokens = try AccessTokens(control: "control-0123456789", readOnly: "reader-0123456789")
        #expect(tokens.role(authorization: "Bearer control-0123456789") == .control)
        #expect(tokens.role(authorization: "bearer reader-0123456789") == .readOnly)
        #expect(tokens.role(authorization: "Bearer control-012345678") == nil)
        #expect(tokens.role(authorization: "Bearer control-01234567890") == nil)
        #expect(tokens.role(authorization: "Basic control-0123456789") == nil)
        #expect(tokens.role(authorization: nil) == nil)
        #expect(tokens.role(authorization: "Bearer ") == nil)
        let alone = try AccessTokens(control: "control-0123456789")
        #expect(alone.role(authorization: "Bearer reader-0123456789") == nil)
    }

    @Test("short or equal tokens are refused, and the error never shows a token")
    func refusals() {
        #expect(throws: AccessTokenError.self) { try AccessTokens(control: "short") }
        do {
            _ = try AccessTokens(control: "same-token-0123456789", readOnly: "same-token-0123456789")
            Issue.record("equal tokens accepted")
        } catch {
            #expect(!error.description.contains("same-token"))
        }
    }

    @Test("a token file is read without its newline; one others may read is refused")
    func files() throws {
        let directory = makeTemporaryDirectory("convtui-tokens")
        let path = directory + "/token"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("secret-token-0123456789\n".utf8), attributes: [.posixPermissions: 0o600]))
        #expect(try AccessTokens.load(path: path) == "secret-token-0123456789")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        do {
            _ = try AccessTokens.load(path: path)
            Issue.record("a world-readable token file was accepted")
        } catch {
            #expect(error.description.contains("chmod 600"))
            #expect(!error.description.contains("secret-token"))
        }
        #expect(throws: AccessTokenError.self) { try AccessTokens.load(path: directory + "/missing") }
    }
}

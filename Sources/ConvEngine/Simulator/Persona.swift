/// A simulated agent with a voice of its own: what its users say and how it answers.
public struct Persona: Sendable, Equatable {
    /// Short name, used for demo session names.
    public let name: String
    public let title: String
    /// Answers are split into streaming pieces on this; empty for languages without spaces.
    public let wordSeparator: String
    public let userLines: [String]
    public let agentLines: [String]
    /// Opening of an answer to something the operator typed.
    public let acknowledgements: [String]
    /// Tool the agent sometimes calls, with example arguments.
    public let tool: (name: String, arguments: String)?

    public static func == (lhs: Persona, rhs: Persona) -> Bool { lhs.name == rhs.name }

    /// The built-in personas, in demo order.
    public static let all: [Persona] = [ava, lina, bruno, sam, echo]

    /// The persona for session `number` (1-based) of a demo.
    public static func forSession(_ number: Int) -> Persona {
        all[(number - 1) % all.count]
    }

    /// Looks a persona up by name.
    public static func named(_ name: String) -> Persona? {
        all.first { $0.name == name }
    }

    static let ava = Persona(
        name: "ava", title: "travel concierge", wordSeparator: " ",
        userLines: [
            "I need a flight from Lisbon to Oslo next Friday.",
            "Can you find me a hotel near the old town?",
            "What is the weather like there in March?",
            "Actually, make that two passengers.",
            "Is there a train from the airport to the centre?",
            "Please book the cheaper option.",
        ],
        agentLines: [
            "I found three flights on Friday; the earliest leaves at 07:40 and lands at 12:15 with one stop in Amsterdam.",
            "There are two well rated hotels within a ten minute walk of the old town, both with free cancellation.",
            "March is usually cold there, around two degrees, with short days, so pack a warm coat.",
            "Done, I have updated the booking to two passengers and the fare is now 412 euros in total.",
            "Yes, the airport express runs every ten minutes and takes about twenty minutes to the central station.",
            "Your booking is confirmed and I have sent the itinerary to your email address.",
        ],
        acknowledgements: ["Of course.", "Sure, let me check.", "Good question."],
        tool: (name: "search_flights", arguments: #"{"from":"LIS","to":"OSL"}"#))

    static let lina = Persona(
        name: "lina", title: "中文客服", wordSeparator: "",
        userLines: [
            "你好，我想查询一下我的订单。",
            "订单号是八八六二。",
            "什么时候可以发货？",
            "可以改成顺丰快递吗？",
            "谢谢你的帮助。",
        ],
        agentLines: [
            "您好！很高兴为您服务，请告诉我您的订单号。",
            "我查到了您的订单，商品已经打包完毕，预计明天上午发货。",
            "可以的，我已经为您改成顺丰快递，运费不变。",
            "您的包裹预计三天内送达，到时会有短信通知您。",
            "不客气，祝您生活愉快，再见！",
        ],
        acknowledgements: ["好的，收到。", "明白了。", "没问题。"],
        tool: (name: "lookup_order", arguments: #"{"order":"8862"}"#))

    static let bruno = Persona(
        name: "bruno", title: "pizzeria orders", wordSeparator: " ",
        userLines: [
            "Hi, I'd like to order a large margherita.",
            "Can I add extra basil and olives?",
            "How long will delivery take?",
            "And a bottle of sparkling water, please.",
            "I'll pay by card on delivery.",
        ],
        agentLines: [
            "Buonasera! One large margherita, coming right up. Anything else on it?",
            "Extra basil and olives added; that is two euros more.",
            "Delivery to your area takes about thirty five minutes tonight.",
            "One sparkling water added. Your total is twenty one euros fifty.",
            "Card on delivery is fine. Grazie, your order is in the oven!",
        ],
        acknowledgements: ["Certo!", "Sure thing.", "Perfetto."],
        tool: (name: "add_to_order", arguments: #"{"item":"margherita","size":"large"}"#))

    static let sam = Persona(
        name: "sam", title: "IT helpdesk", wordSeparator: " ",
        userLines: [
            "My laptop will not connect to the VPN since this morning.",
            "It says the certificate has expired.",
            "I already restarted it twice.",
            "Yes, I am on the office Wi-Fi now.",
            "Great, that worked, thanks!",
        ],
        agentLines: [
            "Sorry to hear that. Which error message do you see when the VPN client tries to connect?",
            "That certificate is renewed automatically when you are on the office network. Can you connect to the office Wi-Fi?",
            "Understood. A restart does not renew it, but a sign-in on the internal network does.",
            "Perfect. Open the VPN client, choose Renew certificate, and sign in once more.",
            "Glad it works. I have closed the ticket; have a good day.",
        ],
        acknowledgements: ["Okay.", "Got it.", "Thanks for the detail."],
        tool: (name: "open_ticket", arguments: #"{"category":"vpn"}"#))

    static let echo = Persona(
        name: "echo", title: "QA echo bot", wordSeparator: " ",
        userLines: ["Testing one two three.", "Can you hear me?", "Say something short.", "Repeat after me: banana."],
        agentLines: ["Loud and clear.", "Yes, I can hear you.", "Something short.", "Banana."],
        acknowledgements: ["You said:"],
        tool: nil)

    /// The streaming pieces of `text`: a few words at a time, or a few characters for
    /// languages written without spaces.
    public func pieces(of text: String, using random: inout SimRandom) -> [String] {
        var result: [String] = []
        if wordSeparator.isEmpty {
            var rest = Substring(text)
            while !rest.isEmpty {
                let n = Int.random(in: 2...4, using: &random)
                let end = rest.index(rest.startIndex, offsetBy: n, limitedBy: rest.endIndex) ?? rest.endIndex
                result.append(String(rest[..<end]))
                rest = rest[end...]
            }
        } else {
            let words = text.split(separator: " ", omittingEmptySubsequences: false)
            var i = 0
            while i < words.count {
                let n = Int.random(in: 1...3, using: &random)
                let end = min(words.count, i + n)
                // The words are contiguous in `text`: one slice, with the space before them
                // after the first piece, is the group joined by spaces.
                let from = i == 0 ? words[i].startIndex : text.index(before: words[i].startIndex)
                result.append(String(text[from..<words[end - 1].endIndex]))
                i = end
            }
        }
        return result
    }
}

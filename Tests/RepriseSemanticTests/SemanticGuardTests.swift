@testable import RepriseSemantic
import Testing

/// Each guard on its own: it vetoes the near-miss it is for, and lets a harmless paraphrase through.
@Suite("semantic guards")
struct SemanticGuardTests {
    @Test("numbers: ids, amounts, dates and number words", arguments: [
        ("Where is order #48213?", "Where is order #48231?", true),
        ("Convert 100 USD to EUR", "Convert 250 USD to EUR", true),
        ("Meetings on 2026-11-26", "Meetings on 2026-11-27", true),
        ("I need two tickets", "I need three tickets", true),
        ("I need two tickets", "I need 2 tickets", false),
        ("Price of 1,000 shares", "price of 1000 shares", false),
        ("In version 2.10.0 it is gone.", "Version 2.10.0 removed it; 2.10.0 is current.", false),
        ("First install it, then run it.", "Install it first and run it second.", false),
        ("What is the capital of France?", "capital city of france", false),
    ])
    func numbers(a: String, b: String, vetoed: Bool) {
        #expect(SemanticGuard.numbers.vetoes(a, b) == vetoed)
    }

    @Test("negation on one side only", arguments: [
        ("Is it safe to take ibuprofen during pregnancy?", "Is it not safe to take ibuprofen during pregnancy?", true),
        ("How do I reset my password?", "How do I NOT reset my password?", true),
        ("Why doesn't my build start?", "Why does my build start?", true),
        ("Why doesn't my build start?", "Why won't my build start?", false),
        ("How do I reset my password?", "I forgot my password, how can I change it?", false),
        ("How do I know whether or not she likes me?", "How do I know if she likes me?", false),
        ("Should I learn Rust or not?", "Should I not learn Rust?", true),
    ])
    func negation(a: String, b: String, vetoed: Bool) {
        #expect(SemanticGuard.negation.vetoes(a, b) == vetoed)
    }

    @Test("quoted strings", arguments: [
        ("Translate 'good morning' into Spanish.", "Translate 'good night' into Spanish.", true),
        ("Search for \u{201C}red shoes\u{201D}", "Search for \u{201C}blue shoes\u{201D}", true),
        ("Don't translate 'hello'", "Please don't translate 'hello'", false),
        ("What's up?", "What is up?", false),
        ("What is the most 'illegal' thing you did?", "What is the most illegal thing you did?", false),
        ("Translate 'good morning' into Spanish.", "Translate good night into Spanish.", true),
    ])
    func quotes(a: String, b: String, vetoed: Bool) {
        #expect(SemanticGuard.quotes.vetoes(a, b) == vetoed)
    }

    @Test("code", arguments: [
        ("Why does `x += 1` fail?", "Why does `x -= 1` fail?", true),
        ("Explain:\n```\nfib(n-1)\n```", "Explain:\n```\nfib(n-2)\n```", true),
        ("Explain this code", "Explain:\n```\nfib(n)\n```", true),
        ("What does ` x ` mean?", "what does `x` mean", false),
    ])
    func code(a: String, b: String, vetoed: Bool) {
        #expect(SemanticGuard.code.vetoes(a, b) == vetoed)
    }

    @Test("named entities", arguments: [
        ("Tell me about Apple the company.", "Tell me about apples the fruit.", true),
        ("What is the capital of France?", "What is the capital of Germany?", true),
        ("Explain the difference between TCP and UDP.", "What are the differences between UDP and TCP?", false),
        ("Explain the difference between TCP and UDP.", "What are the differences between UDP and QUIC?", true),
        ("What is the capital of France?", "what's the capital city of france", false),
        ("UPPERCASE SHOUTING TEXT", "uppercase shouting text", false),
        ("How can I learn from my failures?", "How can we learn from failures?", false),
        ("What is the future of the Aam Aadmi Party?", "What is the Aam Aadmi Party's future?", false),
        ("What does a software engineer earn in India?", "What do Software Engineers earn in India?", false),
        ("Best books on Self Esteem", "best books on self-esteem", false),
        ("Which food is best for Yorkie puppies?", "Which food is best for Husky puppies?", true),
        ("How do I get a visa?", "How do I get a US visa?", true),
        // A capitalised plural is the same word in lower case; an acronym's dots change nothing.
        ("What's the future of DSLR Cameras?", "What is the future of DSLR cameras?", false),
        ("Do U.S. citizens need a visa for Canada?", "Do US citizens need a visa for Canada?", false),
        // An acronym and the words it abbreviates: capitalised, or lower-case from three letters up.
        ("Which universities are best for an MS in CS?", "Which universities are best for an MS in Computer Science?", false),
        ("What is NLP?", "What is natural language processing?", false),
        ("What is ML?", "What is my life?", true),
        // A country under another of its names, its inhabitants' included; "us" the pronoun is no country.
        ("Why is the suicide rate high in Japan?", "Why is the suicide rate high among the Japanese?", false),
        ("Can India survive an invasion by China?", "Can India survive a Chinese invasion?", false),
        ("How can a foreigner teach in America?", "How can a foreigner teach in the U.S.A.?", false),
        ("Who is the President of the United States of America?", "Who is the US President?", false),
        ("Why do Turks dislike Greeks?", "Why do Turkish people dislike the Greek people?", false),
        ("Can the US help?", "Can you help us?", true),
        ("What are the best schools in Indiana?", "What are the best Indian schools?", true),
        ("What did Julia say?", "What did Julian say?", true),
        ("Is Austria safe?", "Is Australia safe?", true),
        // Names written together or apart.
        ("How is it working at Web Summit?", "How is it working at Websummit?", false),
        // A shorter name sharing a word is another name: nothing tells "Trump" from "York" here.
        ("Hotels in New York", "Hotels in York", true),
        ("Why did Donald Trump win?", "Why did Trump win?", true),
    ])
    func entities(a: String, b: String, vetoed: Bool) {
        #expect(SemanticGuard.entities.vetoes(a, b) == vetoed)
    }

    @Test("a long run of names is abbreviated only where an acronym of the other text could cover each name")
    func longRunOfNames() {
        let names = (0..<2_000).map { "Name\($0)" }.joined(separator: " ")
        let mentions = NameMentions("Tell me about " + names)
        #expect(mentions.names.count == 2_000)
        #expect(mentions.names.allSatisfy { $0.runInitials.count == 2_000 })
        #expect(!SemanticGuard.entities.vetoes("Tell me about " + names, "Tell me about NN"))
        #expect(SemanticGuard.entities.vetoes("Tell me about " + names, "Tell me about NNNNNNNNN"))
        #expect(mentions.mentions(all: NameMentions("Compare " + names + " please").names))
        #expect(!SemanticGuard.entities.vetoes("Tell me about " + names, "Tell me about " + names))
    }

    @Test("each guard can be switched off; the first enabled one that vetoes is reported")
    func switches() {
        let a = "Is order #1 not shipped?", b = "Is order #2 shipped?"
        #expect(SemanticGuards().veto(a, b) == .numbers)
        #expect(SemanticGuards(enabled: [.negation, .quotes]).veto(a, b) == .negation)
        #expect(SemanticGuards(enabled: [.quotes, .code, .entities]).veto(a, b) == nil)
        #expect(SemanticGuards.none.veto(a, b) == nil)
    }
}

import Reprise

/// Any bytes: the parser answers a value or an error, never a crash; a value it accepts survives a round
/// trip through its canonical form unchanged, and the strict request options never accept what the
/// standard ones refuse.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let standard = try? JSONParser.parse(bytes)
    let strict = try? JSONParser.parse(bytes, options: .requestBody)
    if strict != nil, standard == nil { fatalError("the request options accepted what the standard ones refused") }
    if let standard {
        let canonical = standard.canonicalBytes
        guard let again = try? JSONParser.parse(canonical) else { fatalError("the canonical form does not parse") }
        if again != standard { fatalError("the canonical form reads as another value") }
        if again.canonicalBytes != canonical { fatalError("the canonical form is not stable") }
    }
    return 0
}

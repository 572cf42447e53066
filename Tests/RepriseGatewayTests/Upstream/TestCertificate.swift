/// A self-signed certificate for `localhost` (valid until 2126) and its key, made with
/// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 -subj /CN=localhost
/// -addext subjectAltName=DNS:localhost`, for TLS tests on loopback only.
enum TestCertificate {
    static let certificatePEM = """
-----BEGIN CERTIFICATE-----
MIIBlTCCATugAwIBAgIUcrc3hDkm4bU/RECKdraZslKsgI0wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNzEwMjU1NloYDzIxMjYxMTAz
MTAyNTU2WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATfqssYwlGUo/FTDRDQYrq0/XdP6Gd/cJ+FRx92RBRkQ748iCwAIHXq
dsj0LQ+bhNJ7IJz9rkSGwGqzagxdSB8Wo2kwZzAdBgNVHQ4EFgQUWTN4W+C5gaw8
xDMh8BWoeq0Y/KgwHwYDVR0jBBgwFoAUWTN4W+C5gaw8xDMh8BWoeq0Y/KgwDwYD
VR0TAQH/BAUwAwEB/zAUBgNVHREEDTALgglsb2NhbGhvc3QwCgYIKoZIzj0EAwID
SAAwRQIgI9icoBU67KMDXpAFkj5Jogiaos8pzEjfQmivRC/dNY0CIQCO61ajczg6
+41JizNrMxDwcQcDXWP6lm8+O0WHAKuz+w==
-----END CERTIFICATE-----
"""

    static let privateKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgVnoTB61laUKYVcmO
blZsYGOK7kccs1cz8Je7RHplWDKhRANCAATfqssYwlGUo/FTDRDQYrq0/XdP6Gd/
cJ+FRx92RBRkQ748iCwAIHXqdsj0LQ+bhNJ7IJz9rkSGwGqzagxdSB8W
-----END PRIVATE KEY-----
"""
}

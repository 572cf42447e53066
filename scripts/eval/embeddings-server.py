#!/usr/bin/env python3
"""An OpenAI-compatible /v1/embeddings endpoint on loopback for any sentence-transformers model directory.

For evaluating a stronger embedder with `reprise eval-semantic --embeddings-url` (or serving one to the
gateway's remote embedder) without a hosted API:

    python3 scripts/eval/embeddings-server.py --model-dir DIR [--port 8089] [--name NAME]

Needs `sentence-transformers` (and so PyTorch) in the Python that runs it. Requests are
{"model": NAME, "input": TEXT or [TEXT, ...]}; answers follow OpenAI's shape with L2-normalised vectors.
Vectors are kept in memory for the server's life, so a second evaluation of the same files is quick.
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", required=True, help="a sentence-transformers model directory")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--name", help="the model name to accept and report (default: the directory's name)")
    arguments = parser.parse_args()

    from sentence_transformers import SentenceTransformer  # imported late: --help works without it

    model = SentenceTransformer(arguments.model_dir, device="cpu")
    name = arguments.name or arguments.model_dir.rstrip("/").split("/")[-1]
    encoding = threading.Lock()  # one batch at a time: PyTorch already uses every core for one
    remembered = {}  # text -> vector: evaluating the same pairs again (other guards) embeds nothing anew

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            if self.path.rstrip("/") != "/v1/embeddings":
                return self.answer(404, error(f"no route {self.path}; POST /v1/embeddings"))
            try:
                length = int(self.headers.get("Content-Length", "0"))
                request = json.loads(self.rfile.read(length))
                texts = request["input"]
                texts = [texts] if isinstance(texts, str) else texts
                if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
                    raise ValueError("'input' must be a string or a list of strings")
                if request.get("model") not in (None, name):
                    return self.answer(404, error(f"model '{request.get('model')}' is not served here; this serves '{name}'"))
            except (ValueError, KeyError, TypeError) as problem:
                return self.answer(400, error(f"bad request: {problem}"))
            with encoding:
                missing = [text for text in dict.fromkeys(texts) if text not in remembered]
                if missing:
                    vectors = model.encode(missing, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
                    remembered.update(zip(missing, (vector.tolist() for vector in vectors)))
                vectors = [remembered[text] for text in texts]
            self.answer(200, {
                "object": "list",
                "model": name,
                "data": [{"object": "embedding", "index": i, "embedding": vector} for i, vector in enumerate(vectors)],
                "usage": {"prompt_tokens": 0, "total_tokens": 0},
            })

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    print(f"serving {name} on http://127.0.0.1:{arguments.port}/v1/embeddings", file=sys.stderr, flush=True)
    server.serve_forever()


def error(message):
    return {"error": {"message": message, "type": "invalid_request_error"}}


if __name__ == "__main__":
    main()

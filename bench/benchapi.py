"""The benchmark scripts' HTTP: one JSON request to the server, standard library only."""

import json
import urllib.error
import urllib.request


def request(base, method, path, token=None, body=None, timeout=30):
    """Answers (status, decoded JSON body or None); HTTP errors are answers, not exceptions."""
    message = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    message.add_header('Content-Type', 'application/json')
    if token:
        message.add_header('Authorization', 'Bearer ' + token)
    try:
        with urllib.request.urlopen(message, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b'null')
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text or b'null')
        except ValueError:
            return error.code, None

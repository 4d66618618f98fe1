"""Runs a command on a pseudo-terminal, answering prompts as they appear; prints JSON.

Usage: on_terminal.py '<json: {"argv": [...], "answers": [[prompt, reply], ...]}>'
Used by test/integration/cli-terminal.test.ts: what a person at a terminal sees (prompts, no echo
of passwords) cannot be shown with pipes. Prints {"output": everything the terminal showed,
"exit": the exit code}.
"""
import json
import os
import pty
import select
import sys
import time


def main(spec):
    spec = json.loads(spec)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(spec["argv"][0], spec["argv"])
    output = b""
    answers = list(spec["answers"])
    deadline = time.time() + 60
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        if answers and output.decode(errors="replace").count(answers[0][0]) >= answers[0][2]:
            os.write(fd, (answers.pop(0)[1] + "\n").encode())
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"output": output.decode(errors="replace"), "exit": os.waitstatus_to_exitcode(status)}))


if __name__ == "__main__":
    main(sys.argv[1])

"""SSH signatures on review stamps, made and checked by OpenSSH's ``ssh-keygen -Y``.

The same mechanism git uses for signed commits: the reviewer signs with their SSH key
(``ssh-keygen -Y sign -n publisher-review``), and the build verifies each signature
against the project's ``allowed_signers`` file (``ssh-keygen -Y verify``; the format
is OpenSSH's, see ssh-keygen(1) "ALLOWED SIGNERS").  Only the signature's base64
body is stored, on translator comment lines after the stamp, so PO tools keep it.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

NAMESPACE = "publisher-review"
BEGIN, END = "-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----"
TIMEOUT = 30


class SignatureError(Exception):
    """ssh-keygen could not sign, or is missing."""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    #: The allowed_signers principal that signed, or why the signature does not verify.
    detail: str


def _ssh_keygen(arguments: list[str], data: bytes) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["ssh-keygen", "-Y", *arguments], input=data,
                              capture_output=True, timeout=TIMEOUT)
    except FileNotFoundError as exc:
        raise SignatureError("ssh-keygen (OpenSSH) is not installed") from exc


def sign(data: bytes, key: Path) -> str:
    """The base64 body of an SSH signature of ``data`` with the private key file ``key``
    (or its public key, when the private key is in ssh-agent)."""
    run = _ssh_keygen(["sign", "-q", "-f", str(key), "-n", NAMESPACE], data)
    armored = run.stdout.decode("ascii", "replace")
    if run.returncode != 0 or BEGIN not in armored:
        raise SignatureError(f"ssh-keygen could not sign with {key}: "
                             f"{run.stderr.decode(errors='replace').strip()}")
    return "".join(line.strip() for line in armored.splitlines()
                   if line.strip() and not line.startswith("-----"))


def verify(data: bytes, signature: str, allowed_signers: Path) -> Verdict:
    if not signature:
        return Verdict(False, "the stamp is not signed")
    if not allowed_signers.is_file():
        return Verdict(False, f"no allowed signers file at {allowed_signers}")
    lines = [signature[i:i + 70] for i in range(0, len(signature), 70)]
    with tempfile.NamedTemporaryFile("w", suffix=".sig", encoding="ascii") as file:
        file.write("\n".join([BEGIN, *lines, END]) + "\n")
        file.flush()
        found = _ssh_keygen(["find-principals", "-s", file.name, "-f", str(allowed_signers)],
                            b"")
        principals = found.stdout.decode(errors="replace").split()
        if found.returncode != 0 or not principals:
            return Verdict(False, f"the signing key is not in {allowed_signers.name} "
                           f"({_reason(found)})")
        checked = _ssh_keygen(["verify", "-f", str(allowed_signers), "-I", principals[0],
                               "-n", NAMESPACE, "-s", file.name], data)
    if checked.returncode != 0:
        return Verdict(False, _reason(checked))
    return Verdict(True, principals[0])


def _reason(run: subprocess.CompletedProcess) -> str:
    text = (run.stderr or run.stdout).decode(errors="replace").strip().splitlines()
    return text[-1] if text else f"ssh-keygen exited with {run.returncode}"


def required_signers(project: Path, signed_reviews: bool, allowed_signers: str) -> Path | None:
    """The allowed_signers file every stamp is verified against, or None when the
    project does not require signed reviews."""
    return project / allowed_signers if signed_reviews else None

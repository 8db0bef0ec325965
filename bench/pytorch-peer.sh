# Sourced by the benchmarks that run PyTorch as the peer: sets $python to Debian's interpreter and stops with the
# install command when PyTorch is missing. Debian's python3-torch lives in /usr/lib/python3/dist-packages, which a
# pyenv python3 on PATH cannot see.
python=/usr/bin/python3
if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "PyTorch is missing for $python. Install it with: apt-get install -y python3-torch" >&2
    exit 1
fi

#!/usr/bin/env bash
# Unpacks the GPU bench kit lying beside this script (gpu-kit.tar.xz, built by `npm run bench:gpu:kit`) into a fresh
# folder and runs the bench with the kit's own Node: no Node, npm or network needed. Arguments go to the bench
# (--smoke: a few batches, seconds). GPU_KIT_DIR names the folder to unpack into (default: a new one under /tmp).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kit=${GPU_KIT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/convlab-gpu-kit.XXXXXX")}
mkdir -p "$kit"
tar -xJf "$here/gpu-kit.tar.xz" -C "$kit"

# Mesa and Dawn want a private runtime folder; headless shells have none.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$kit/xdg-runtime}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"

# The Vulkan loader, and glvnd that NVIDIA's Vulkan driver links, from the kit where the system has none
# (GPU_KIT_LOADER=kit takes the kit's anyway, to rehearse).
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
libraries=$("$ldconfig" -p 2>/dev/null || true)
if [ "${GPU_KIT_LOADER:-}" != kit ] && grep -q 'libvulkan\.so\.1 ' <<<"$libraries" && grep -q 'libGLdispatch\.so\.0 ' <<<"$libraries"; then
  echo "Vulkan loader: the system's" >&2
else
  export LD_LIBRARY_PATH=$kit/gl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  echo "Vulkan loader: the kit's ($kit/gl)" >&2
fi
# NVIDIA's container images keep the driver (and its Vulkan manifest) outside the usual search paths.
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ]; then export VK_DRIVER_FILES=$nvidia_icd; fi
if [ -d /usr/local/nvidia/lib64 ]; then export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/nvidia/lib64; fi
if command -v nvidia-smi >/dev/null; then
  echo "GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -1)" >&2
fi
echo "Vulkan drivers: ${VK_DRIVER_FILES:-wherever the loader looks by default}" >&2

cd "$kit/app"
exec "$kit/node" dist/bench/gpu/bench.js "$@"

# syntax=docker/dockerfile:1
# One image for every QuantCluster process; the command picks which: quantcluster (the coordinator),
# QuantCluster.GpuWorker or QuantCluster.CalibrationNode. Build from the repository root: docker build -t quantcluster .
# Every option comes from QUANTCLUSTER_* variables (see docker-compose.yml and k8s/).

# Ubuntu 24.04 (noble) in both stages: its libstdc++ has GLIBCXX_3.4.32, which TorchSharp's native library asks for.
# (Debian 12's stops at 3.4.30; build/WeakenGlibcxxNeed.targets patches the published copy for that case and is
# harmless here.) libtorch's CPU libraries, libgomp included, come with the libtorch-cpu-linux-x64 NuGet package.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src

# Restore from the project files alone, so a code change does not download libtorch (about 600 MB) again.
COPY Directory.Build.props Directory.Packages.props ./
COPY build/ build/
COPY src/Collectives/QuantCluster.Collectives.csproj src/Collectives/
COPY src/Vocabulary/QuantCluster.Vocabulary.csproj src/Vocabulary/
COPY src/Messages/QuantCluster.Messages.csproj src/Messages/
COPY src/Node/QuantCluster.Node.csproj src/Node/
COPY src/Quantization/QuantCluster.Quantization.csproj src/Quantization/
COPY src/GpuWorker/QuantCluster.GpuWorker.csproj src/GpuWorker/
COPY src/CalibrationNode/QuantCluster.CalibrationNode.csproj src/CalibrationNode/
COPY src/Coordinator/QuantCluster.Coordinator.csproj src/Coordinator/
RUN dotnet restore src/Coordinator

COPY src/ src/
# The three programs share one folder: same dependencies, one copy of libtorch.
RUN for program in Coordinator GpuWorker CalibrationNode; do \
      dotnet publish "src/$program" -c Release --no-restore -o /app || exit 1; \
    done

FROM mcr.microsoft.com/dotnet/runtime:10.0-noble
WORKDIR /app
COPY --from=build /app ./
# Plans name data relative to the working directory; every node reads the same files at the same paths.
COPY data/mnist/*.gz data/mnist/
COPY data/fashion-mnist/*.gz data/fashion-mnist/
COPY examples/ examples/
RUN mkdir runs && chown "$APP_UID" runs
USER $APP_UID
ENV PATH="/app:${PATH}"
EXPOSE 4053
CMD ["quantcluster", "--help"]

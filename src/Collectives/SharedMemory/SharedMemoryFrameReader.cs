using System.Net.Sockets;
using QuantCluster.Collectives.Frames;

namespace QuantCluster.Collectives.SharedMemory;

/// <summary>Reads ring frames from a <see cref="SharedMemoryPipe"/> written by a rank on the same host, refusing any out of order or of the wrong size.</summary>
internal sealed class SharedMemoryFrameReader(SharedMemoryPipe pipe, Socket socket, string peer) : IFrameReader
{
    private readonly SharedMemoryDoorbell _doorbell = new(socket, peer);
    private readonly byte[] _header = new byte[FrameHeader.Size];
    private uint _sequence;

    public string Transport => "shared memory";

    public async ValueTask ReadAsync(Memory<byte> destination, CancellationToken cancel)
    {
        SharedMemoryFloats.RequireWhole(destination.Length);
        try
        {
            await ReadAllAsync(_header, $"before frame {_sequence}", cancel);
            FrameHeader.Check(_header, _sequence, destination.Length, peer);
            await ReadAllAsync(destination, $"in the middle of frame {_sequence}", cancel);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(e);
        }

        _sequence++;
    }

    public async ValueTask ReadAddAsync(Memory<float> target, CancellationToken cancel)
    {
        try
        {
            await ReadAllAsync(_header, $"before frame {_sequence}", cancel);
            FrameHeader.Check(_header, _sequence, target.Length * sizeof(float), peer);
            await AddAllAsync(target, cancel);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(e);
        }

        _sequence++;
    }

    private async ValueTask AddAllAsync(Memory<float> target, CancellationToken cancel)
    {
        while (!target.IsEmpty)
        {
            var added = pipe.TryReadAdd(target.Span);
            if (added == 0)
            {
                await _doorbell.WaitAsync(pipe, PipeSide.Consumer, $"in the middle of frame {_sequence}", cancel);
                continue;
            }

            target = target[added..];
            if (pipe.TakeDoorbellRequest(PipeSide.Producer))
            {
                await _doorbell.RingAsync(cancel);
            }
        }
    }

    private RingTransportException Corrupt(InvalidDataException e) => new($"The shared-memory pipe from {peer} is corrupt: {e.Message}.", e);

    public ValueTask DisposeAsync()
    {
        pipe.Dispose();
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask ReadAllAsync(Memory<byte> destination, string where, CancellationToken cancel)
    {
        while (!destination.IsEmpty)
        {
            var read = pipe.TryRead(destination.Span);
            if (read == 0)
            {
                await _doorbell.WaitAsync(pipe, PipeSide.Consumer, where, cancel);
                continue;
            }

            destination = destination[read..];
            if (pipe.TakeDoorbellRequest(PipeSide.Producer))
            {
                await _doorbell.RingAsync(cancel);
            }
        }
    }
}

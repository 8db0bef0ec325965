using System.Net.Sockets;
using QuantCluster.Collectives.Frames;

namespace QuantCluster.Collectives.SharedMemory;

/// <summary>Writes ring frames into a <see cref="SharedMemoryPipe"/> to a rank on the same host: one copy, no system call while the reader keeps up.</summary>
/// <remarks>No CRC: the bytes never leave this host's memory, which a wire's bit errors cannot reach. Sequence and length are still checked.</remarks>
internal sealed class SharedMemoryFrameWriter(SharedMemoryPipe pipe, Socket socket, string peer) : IFrameWriter
{
    private readonly SharedMemoryDoorbell _doorbell = new(socket, peer);
    private readonly byte[] _header = new byte[FrameHeader.Size];
    private uint _sequence;

    public string Transport => "shared memory";

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancel)
    {
        // The reader adds floats straight out of the pipe, which is only right if no float straddles its wrap.
        SharedMemoryFloats.RequireWhole(payload.Length);
        FrameHeader.Write(_header, _sequence, payload.Length, crc: 0);
        try
        {
            await WriteAllAsync(_header, cancel);
            await WriteAllAsync(payload, cancel);
        }
        catch (InvalidDataException e)
        {
            throw new RingTransportException($"The shared-memory pipe to {peer} is corrupt: {e.Message}.", e);
        }

        _sequence++;
    }

    public ValueTask DisposeAsync()
    {
        pipe.Dispose();
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask WriteAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel)
    {
        while (!bytes.IsEmpty)
        {
            var written = pipe.TryWrite(bytes.Span);
            if (written == 0)
            {
                await _doorbell.WaitAsync(pipe, PipeSide.Producer, $"while it should read frame {_sequence}", cancel);
                continue;
            }

            bytes = bytes[written..];
            if (pipe.TakeDoorbellRequest(PipeSide.Consumer))
            {
                await _doorbell.RingAsync(cancel);
            }
        }
    }
}

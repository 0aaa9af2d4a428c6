namespace CommerceOS.Core.Exports;

/// <summary>
/// Lets <see cref="System.IO.Compression.ZipArchive"/> write to a response body that refuses synchronous writes (Kestrel's
/// default). Even through its async API, .NET 10's ZIP writer finishes an entry on a non-seekable stream with a
/// synchronous write of the data descriptor (<c>ZipArchiveEntry.WriteDataDescriptor</c> from the entry stream's
/// <c>Dispose</c>). Synchronous writes land in a small buffer that the next asynchronous write or flush sends first, so
/// the order of bytes is kept and nothing blocks a thread; the buffer holds a few header bytes, never an entry's data.
/// </summary>
internal sealed class AsyncOnlyOutput(Stream inner) : Stream
{
    private readonly MemoryStream _pending = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Most bytes held at once (for tests and diagnostics).</summary>
    public long MaxPending { get; private set; }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pending.Write(buffer);
        MaxPending = Math.Max(MaxPending, _pending.Length);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await DrainAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    /// <summary>Nothing to do synchronously: the buffer is sent by the next asynchronous call.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        await inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken);
        _pending.SetLength(0);
    }
}

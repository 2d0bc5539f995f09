using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using RL3.Core.Serialization;

namespace RL3.Core.Nn.Serialization;

/// <summary>
/// An in-memory set of named float32 tensors and named 64-bit integers, with a versioned, checksummed
/// binary file format (documented in <c>docs/engine.md</c>, "File format").
/// </summary>
/// <remarks>
/// <para>Layout (all integers little-endian):</para>
/// <code>
/// offset  size  field
///  0       8    magic "RL3TNSR\0"
///  8       4    format version (uint32, currently 1)
/// 12       4    flags (uint32, 0)
/// 16       8    payload length P in bytes (uint64)
/// 24       P    payload: entry count (uint32), then the entries in order
/// 24+P     4    CRC-32 (IEEE, as zlib) of bytes [0, 24+P)
/// entry:  name length (uint16) · name (UTF-8) · kind (uint8: 1 = float32 tensor, 2 = int64)
///         kind 1: rank (uint8, 1..4) · dims (int32 × rank) · data (float32 × Π dims, row-major)
///         kind 2: value (int64)
/// </code>
/// <para>
/// Reading checks, in order: magic, version, declared length against the actual length (truncation),
/// checksum, then the structure of every entry; any failure throws <see cref="InvalidDataException"/>
/// with a message saying which check failed. <see cref="Save"/> is atomic: it writes a temporary file in
/// the same folder and moves it over the target.
/// </para>
/// </remarks>
public sealed class TensorArchive
{
    /// <summary>The current format version.</summary>
    public const uint FormatVersion = 1;

    private const int HeaderSize = 24;
    private const byte KindTensor = 1;
    private const byte KindInt64 = 2;

    private readonly List<string> _order = [];
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _integers = new(StringComparer.Ordinal);

    /// <summary>The file magic, <c>"RL3TNSR\0"</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "RL3TNSR\0"u8;

    /// <summary>Names of all entries (tensors and integers) in insertion order.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>Names of the tensor entries in insertion order.</summary>
    public IEnumerable<string> TensorNames => _order.Where(_tensors.ContainsKey);

    /// <summary>Adds a copy of a tensor under <paramref name="name"/>.</summary>
    /// <param name="name">A unique, non-empty name (at most 65535 UTF-8 bytes).</param>
    /// <param name="shape">The shape (1 to 4 non-negative dimensions).</param>
    /// <param name="data">Row-major data; length must equal the product of the shape.</param>
    public void AddTensor(string name, ReadOnlySpan<int> shape, ReadOnlySpan<float> data)
    {
        CheckNewName(name);
        if (shape.Length is < 1 or > NnTensor.MaxRank)
        {
            throw new ArgumentException($"Tensor '{name}' must have 1 to {NnTensor.MaxRank} dimensions; got {shape.Length}.", nameof(shape));
        }

        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor '{name}' has a negative dimension.", nameof(shape));
            }

            count *= d;
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"Tensor '{name}' has shape [{string.Join(", ", shape.ToArray())}] ({count} elements) but {data.Length} values.", nameof(data));
        }

        _tensors.Add(name, (shape.ToArray(), data.ToArray()));
        _order.Add(name);
    }

    /// <summary>Adds a copy of <paramref name="tensor"/> under <paramref name="name"/>.</summary>
    /// <param name="name">A unique, non-empty name.</param>
    /// <param name="tensor">The tensor.</param>
    public void AddTensor(string name, NnTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        AddTensor(name, tensor.Shape, tensor.Span);
    }

    /// <summary>Adds or replaces a 64-bit integer entry (step counters, versions, seeds).</summary>
    /// <param name="name">The name (unique among all entries).</param>
    /// <param name="value">The value.</param>
    public void SetInt64(string name, long value)
    {
        if (_integers.ContainsKey(name))
        {
            _integers[name] = value;
            return;
        }

        CheckNewName(name);
        _integers.Add(name, value);
        _order.Add(name);
    }

    /// <summary>Reads an integer entry.</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value, if present.</param>
    /// <returns><see langword="true"/> if present.</returns>
    public bool TryGetInt64(string name, out long value) => _integers.TryGetValue(name, out value);

    /// <summary>The shape of tensor <paramref name="name"/> (a copy).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The shape.</returns>
    /// <exception cref="KeyNotFoundException">No such tensor.</exception>
    public int[] GetShape(string name) => (int[])Get(name).Shape.Clone();

    /// <summary>The data of tensor <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The row-major elements.</returns>
    /// <exception cref="KeyNotFoundException">No such tensor.</exception>
    public ReadOnlySpan<float> GetData(string name) => Get(name).Data;

    /// <summary>Throws <see cref="InvalidDataException"/> unless tensor <paramref name="name"/> exists with the shape of <paramref name="target"/>.</summary>
    /// <param name="name">The entry name.</param>
    /// <param name="target">The tensor it should fit.</param>
    public void CheckTensor(string name, NnTensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!_tensors.TryGetValue(name, out var entry))
        {
            throw new InvalidDataException($"Tensor '{name}' is missing from the archive.");
        }

        if (!target.HasShape(entry.Shape))
        {
            throw new InvalidDataException($"Tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] in the archive but {target.ShapeString()} is expected.");
        }
    }

    /// <summary>Writes the archive in the documented format.</summary>
    /// <param name="stream">A writable stream.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = ToBytes();
        stream.Write(bytes);
    }

    /// <summary>The archive in the documented format.</summary>
    /// <returns>The file contents.</returns>
    public byte[] ToBytes()
    {
        using var payload = new MemoryStream();
        Span<byte> buf = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(buf, (uint)_order.Count);
        payload.Write(buf[..4]);
        foreach (string name in _order)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            BinaryPrimitives.WriteUInt16LittleEndian(buf, (ushort)nameBytes.Length);
            payload.Write(buf[..2]);
            payload.Write(nameBytes);
            if (_tensors.TryGetValue(name, out var t))
            {
                payload.WriteByte(KindTensor);
                payload.WriteByte((byte)t.Shape.Length);
                foreach (int d in t.Shape)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(buf, d);
                    payload.Write(buf[..4]);
                }

                if (BitConverter.IsLittleEndian)
                {
                    payload.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
                }
                else
                {
                    foreach (float f in t.Data)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(buf, f);
                        payload.Write(buf[..4]);
                    }
                }
            }
            else
            {
                payload.WriteByte(KindInt64);
                BinaryPrimitives.WriteInt64LittleEndian(buf, _integers[name]);
                payload.Write(buf);
            }
        }

        int p = checked((int)payload.Length);
        byte[] file = new byte[HeaderSize + p + 4];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)p);
        payload.GetBuffer().AsSpan(0, p).CopyTo(file.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(HeaderSize + p), Crc32.Compute(file.AsSpan(0, HeaderSize + p)));
        return file;
    }

    /// <summary>Saves atomically: writes <c>path.*.tmp</c> in the same folder, flushes it to disk, then moves it over <paramref name="path"/>.</summary>
    /// <param name="path">The target file.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string tmp = full + "." + Path.GetRandomFileName() + ".tmp";
        byte[] bytes = ToBytes();
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }

            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(tmp);
            }
            catch (IOException)
            {
                // best effort: the original exception is the one that matters
            }

            throw;
        }
    }

    /// <summary>Loads and validates a file written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The archive.</returns>
    /// <exception cref="InvalidDataException">The file is truncated, corrupted, or not an archive (the message says which).</exception>
    public static TensorArchive Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return FromBytes(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Reads and validates an archive from the rest of <paramref name="stream"/>.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <returns>The archive.</returns>
    /// <exception cref="InvalidDataException">The data is truncated, corrupted, or not an archive.</exception>
    public static TensorArchive ReadFrom(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return FromBytes(ms.ToArray());
    }

    /// <summary>Parses and validates archive bytes.</summary>
    /// <param name="bytes">The file contents.</param>
    /// <returns>The archive.</returns>
    /// <exception cref="InvalidDataException">The data is truncated, corrupted, or not an archive.</exception>
    public static TensorArchive FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not an RL3 tensor archive (bad magic).");
        }

        if (bytes.Length < HeaderSize + 4)
        {
            throw new InvalidDataException($"The archive is truncated: {bytes.Length} bytes is shorter than the {HeaderSize + 4}-byte header and checksum.");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unsupported archive format version {version} (this library reads version {FormatVersion}).");
        }

        ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        ulong expected = HeaderSize + payloadLength + 4;
        if (payloadLength > int.MaxValue || (ulong)bytes.Length != expected)
        {
            string what = (ulong)bytes.Length < expected || payloadLength > int.MaxValue ? "truncated" : "longer than declared";
            throw new InvalidDataException($"The archive is {what}: the header declares {expected} bytes but there are {bytes.Length}.");
        }

        int end = HeaderSize + (int)payloadLength;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[end..]);
        uint actual = Crc32.Compute(bytes[..end]);
        if (stored != actual)
        {
            throw new InvalidDataException($"The archive is corrupted: CRC-32 mismatch (stored 0x{stored:X8}, computed 0x{actual:X8}).");
        }

        var archive = new TensorArchive();
        var r = new Reader(bytes[HeaderSize..end]);
        uint count = r.UInt32();
        for (uint e = 0; e < count; e++)
        {
            int nameLength = r.UInt16();
            string name = Encoding.UTF8.GetString(r.Bytes(nameLength));
            if (name.Length == 0 || archive._tensors.ContainsKey(name) || archive._integers.ContainsKey(name))
            {
                throw new InvalidDataException($"Entry {e} has an empty or duplicate name '{name}'.");
            }

            byte kind = r.Byte();
            if (kind == KindTensor)
            {
                int rank = r.Byte();
                if (rank is < 1 or > NnTensor.MaxRank)
                {
                    throw new InvalidDataException($"Tensor '{name}' has invalid rank {rank}.");
                }

                var shape = new int[rank];
                long n = 1;
                for (int i = 0; i < rank; i++)
                {
                    shape[i] = r.Int32();
                    if (shape[i] < 0)
                    {
                        throw new InvalidDataException($"Tensor '{name}' has a negative dimension.");
                    }

                    n *= shape[i];
                    if (n * 4 > r.Remaining)
                    {
                        throw new InvalidDataException($"Tensor '{name}' declares more data than the archive holds.");
                    }
                }

                var data = new float[n];
                var raw = r.Bytes((int)n * 4);
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                }

                archive._tensors.Add(name, (shape, data));
            }
            else if (kind == KindInt64)
            {
                archive._integers.Add(name, r.Int64());
            }
            else
            {
                throw new InvalidDataException($"Entry '{name}' has unknown kind {kind}.");
            }

            archive._order.Add(name);
        }

        if (r.Remaining != 0)
        {
            throw new InvalidDataException($"The archive has {r.Remaining} unexpected bytes after its last entry.");
        }

        return archive;
    }

    private (int[] Shape, float[] Data) Get(string name) =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"The archive has no tensor named '{name}'.");

    private void CheckNewName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Encoding.UTF8.GetByteCount(name) > ushort.MaxValue)
        {
            throw new ArgumentException("The name is longer than 65535 UTF-8 bytes.", nameof(name));
        }

        if (_tensors.ContainsKey(name) || _integers.ContainsKey(name))
        {
            throw new ArgumentException($"The archive already has an entry named '{name}'.", nameof(name));
        }
    }

    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _pos;

        public Reader(ReadOnlySpan<byte> data)
        {
            _data = data;
            _pos = 0;
        }

        public readonly int Remaining => _data.Length - _pos;

        public ReadOnlySpan<byte> Bytes(int n)
        {
            if (n < 0 || n > Remaining)
            {
                throw new InvalidDataException("An entry runs past the end of the payload.");
            }

            var s = _data.Slice(_pos, n);
            _pos += n;
            return s;
        }

        public byte Byte() => Bytes(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));
    }
}

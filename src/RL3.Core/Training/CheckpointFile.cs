using System.Buffers.Binary;
using System.Text;
using RL3.Core.Serialization;

namespace RL3.Core.Training;

/// <summary>
/// The trainer's checkpoint container: named binary sections with a checksum, written atomically.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic <c>"RL3CKPT\0"</c> (8 bytes) | format version (u32) | section count (u32) | per
/// section: name length (u16), UTF-8 name, data length (u64), data | CRC-32 (u32) of every preceding byte.
/// Saving writes a temporary file beside the target and renames it over the target, so a crash never leaves a
/// half-written checkpoint; loading verifies the magic, the version, the lengths and the checksum before anything
/// is applied.
/// </remarks>
internal static class CheckpointFile
{
    public const uint Version = 1;
    private static readonly byte[] Magic = "RL3CKPT\0"u8.ToArray();

    public static void Save(string path, IReadOnlyList<KeyValuePair<string, byte[]>> sections)
    {
        using var body = new MemoryStream();
        body.Write(Magic);
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Version);
        body.Write(buffer[..4]);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)sections.Count);
        body.Write(buffer[..4]);
        foreach (var (name, data) in sections)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer, checked((ushort)nameBytes.Length));
            body.Write(buffer[..2]);
            body.Write(nameBytes);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, (ulong)data.Length);
            body.Write(buffer[..8]);
            body.Write(data);
        }

        uint crc = Crc32.Compute(body.GetBuffer().AsSpan(0, (int)body.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, crc);
        body.Write(buffer[..4]);

        string fullPath = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = fullPath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(body.GetBuffer(), 0, (int)body.Length);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, fullPath, overwrite: true);
    }

    public static Dictionary<string, byte[]> Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read checkpoint '{path}': {ex.Message}", ex);
        }

        if (bytes.Length < Magic.Length + 12 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not an RL3.Core checkpoint (bad magic or too short: {bytes.Length} bytes).");
        }

        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        uint actualCrc = Crc32.Compute(bytes.AsSpan(0, bytes.Length - 4));
        if (storedCrc != actualCrc)
        {
            throw new InvalidDataException($"Checkpoint '{path}' is corrupted or truncated: checksum 0x{actualCrc:X8} does not match the stored 0x{storedCrc:X8}.");
        }

        int position = Magic.Length;
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
        position += 4;
        if (version != Version)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has format version {version}; this library reads version {Version}.");
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
        position += 4;
        int end = bytes.Length - 4;
        var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (uint s = 0; s < count; s++)
        {
            if (position + 2 > end)
            {
                throw Truncated(path);
            }

            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(position));
            position += 2;
            if (position + nameLength + 8 > end)
            {
                throw Truncated(path);
            }

            string name = Encoding.UTF8.GetString(bytes, position, nameLength);
            position += nameLength;
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(position));
            position += 8;
            if (length > (ulong)(end - position))
            {
                throw Truncated(path);
            }

            sections[name] = bytes.AsSpan(position, (int)length).ToArray();
            position += (int)length;
        }

        if (position != end)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has {end - position} unexpected trailing bytes.");
        }

        return sections;
    }

    private static InvalidDataException Truncated(string path) =>
        new($"Checkpoint '{path}' is truncated: a section runs past the end of the file.");
}

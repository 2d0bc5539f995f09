using System.Security.Cryptography;
using System.Text;

namespace RL3.Core.Orleans.Hosting;

/// <summary>
/// The shared secret of one RL3 cluster: the learner and every worker hold the same key, and the Orleans cluster id and
/// service id are derived from it, so that a silo that does not hold the key cannot guess the ids of the cluster.
/// </summary>
/// <remarks>
/// <para>
/// Ids: <c>ClusterId = "rl3-" + hex(HMAC-SHA256(key, "rl3/cluster/" + name))[0..32]</c> and
/// <c>ServiceId = "rl3-" + hex(HMAC-SHA256(key, "rl3/service/" + name))[0..32]</c> (128 bits each), where the name tells
/// apart several clusters that share one key and one membership store.
/// </para>
/// <para>
/// The ids keep strangers and other runs out of the membership table, but they are not a password: Orleans sends the
/// cluster id in clear in the preamble of every connection, so anyone who can reach a silo's port learns it. Only TLS
/// (<see cref="RL3ClusterOptions.TlsCertificate"/>) authenticates the peers; see docs/distributed.md, "Security".
/// </para>
/// <para>
/// A key file holds the key as 64 hexadecimal digits (32 random bytes) on one line. <see cref="LoadOrCreate"/> creates it
/// (readable by its owner only) when missing, so processes of one user on one machine share the key with no setup; copy
/// the file to the other machines of a cluster.
/// </para>
/// </remarks>
public sealed class ClusterKey
{
    /// <summary>Bytes in a generated key.</summary>
    public const int GeneratedKeyBytes = 32;

    /// <summary>The fewest bytes a key may have.</summary>
    public const int MinimumKeyBytes = 16;

    private readonly byte[] _key;

    private ClusterKey(byte[] key) => _key = key;

    /// <summary>The default key file: <c>~/.rl3/cluster.key</c>.</summary>
    public static string DefaultPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), ".rl3", "cluster.key");

    /// <summary>A key from raw bytes (at least <see cref="MinimumKeyBytes"/>).</summary>
    /// <param name="key">The secret bytes (copied).</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> has fewer than <see cref="MinimumKeyBytes"/> bytes.</exception>
    public static ClusterKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"a cluster key needs at least {MinimumKeyBytes} bytes ({2 * MinimumKeyBytes} hexadecimal digits); got {key.Length}.", nameof(key));
        }

        return new ClusterKey(key.ToArray());
    }

    /// <summary>A key from its text form: hexadecimal digits (at least 2 × <see cref="MinimumKeyBytes"/>).</summary>
    /// <param name="text">The key as hexadecimal digits; surrounding white space is ignored.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is not an even number of hexadecimal digits, or too short.</exception>
    public static ClusterKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(trimmed);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"a cluster key is written as hexadecimal digits (at least {2 * MinimumKeyBytes}); the text given is not.", nameof(text));
        }

        return FromBytes(bytes);
    }

    /// <summary>A new random key of <see cref="GeneratedKeyBytes"/> bytes from the operating system's cryptographic generator.</summary>
    /// <returns>The key.</returns>
    public static ClusterKey CreateRandom()
    {
        // A secret, not a source of training randomness: it never influences a result, so it is not drawn from the run's seed.
        var bytes = new byte[GeneratedKeyBytes];
        RandomNumberGenerator.Fill(bytes);
        return new ClusterKey(bytes);
    }

    /// <summary>Reads the key file at <paramref name="path"/>.</summary>
    /// <param name="path">The key file.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file does not hold a key.</exception>
    public static ClusterKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text = File.ReadAllText(path);
        try
        {
            return Parse(text);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"the cluster key file '{path}' does not hold a key: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads the key file at <paramref name="path"/>, or creates it with a new random key (owner read/write only on Unix)
    /// when it does not exist. Processes that start together agree on one key: one of them creates the file (atomically),
    /// the others read its key.
    /// </summary>
    /// <param name="path">The key file.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidDataException">The file exists and does not hold a key.</exception>
    public static ClusterKey LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return LoadWritten(path);
        }

        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var key = CreateRandom();
        // FileMode.CreateNew is the atomic step (O_EXCL): exactly one process or thread creates the file; the others
        // read its key once it is written (File.Move without overwrite is a check-then-rename on Unix, not atomic).
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(full, options);
            stream.Write(Encoding.ASCII.GetBytes(key.ToString() + "\n"));
            return key;
        }
        catch (IOException) when (File.Exists(full))
        {
            return LoadWritten(full);
        }
    }

    /// <summary>Reads a key file, waiting up to a second for the line end of a file another process has just created.</summary>
    private static ClusterKey LoadWritten(string path)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            string text = File.ReadAllText(path);
            if (text.EndsWith('\n'))
            {
                break;
            }

            Thread.Sleep(20);
        }

        return Load(path);
    }

    /// <summary>The Orleans cluster id of the cluster called <paramref name="name"/> under this key.</summary>
    /// <param name="name">Tells apart clusters that share a key and a membership store.</param>
    /// <returns><c>"rl3-"</c> and 32 hexadecimal digits.</returns>
    public string ClusterId(string name) => Derive("rl3/cluster/", name);

    /// <summary>The Orleans service id of the cluster called <paramref name="name"/> under this key.</summary>
    /// <param name="name">Tells apart clusters that share a key and a membership store.</param>
    /// <returns><c>"rl3-"</c> and 32 hexadecimal digits.</returns>
    public string ServiceId(string name) => Derive("rl3/service/", name);

    /// <summary>The key as hexadecimal digits (the key file's content).</summary>
    /// <returns>The secret: do not log it.</returns>
    public override string ToString() => Convert.ToHexStringLower(_key);

    private string Derive(string purpose, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        byte[] mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + name));
        return "rl3-" + Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }
}

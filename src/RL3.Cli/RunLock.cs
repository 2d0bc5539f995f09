using System.Globalization;

namespace RL3.Cli;

/// <summary>
/// An exclusive lock on a run directory for the whole of one <c>rl3</c> command that writes into it (train,
/// evaluate, compare, report). The lock is <c>DIR/.rl3.lock</c> opened with <see cref="FileShare.None"/>, which the
/// operating system holds for the open file and releases when the process ends in any way (kill -9 included), so a
/// killed run leaves no stale lock. Because such a file cannot be read while it is held, the holder (command, pid,
/// host, start time) is written beside it to <c>DIR/.rl3.holder</c>, for the message that refuses a second writer.
/// </summary>
internal sealed class RunLock : IDisposable
{
    public const string LockFile = ".rl3.lock";
    public const string HolderFile = ".rl3.holder";

    private readonly FileStream _lock;
    private readonly string _holderPath;
    private readonly string _holder;

    private RunLock(FileStream handle, string holderPath, string holder)
    {
        _lock = handle;
        _holderPath = holderPath;
        _holder = holder;
    }

    /// <summary>
    /// Takes the lock on <paramref name="run"/>'s directory (which must exist) for <paramref name="command"/>, or
    /// throws a <see cref="CliException"/> naming the holder when another writer has it.
    /// </summary>
    public static RunLock Acquire(RunDirectory run, string command)
    {
        ArgumentNullException.ThrowIfNull(run);
        string lockPath = Path.Combine(run.Path, LockFile);
        string holderPath = Path.Combine(run.Path, HolderFile);
        FileStream handle;
        try
        {
            handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new CliException($"'{run.Path}' is in use by another rl3 command ({DescribeHolder(holderPath)}); wait for it to finish or choose another directory");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CliException($"cannot lock '{lockPath}': {ex.Message}");
        }

        string holder = string.Create(CultureInfo.InvariantCulture, $"rl3 {command}, pid {Environment.ProcessId} on {Environment.MachineName}, started {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC");
        try
        {
            // Written aside and renamed, so a refused writer never reads half a line.
            string temporary = holderPath + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            File.WriteAllText(temporary, holder + "\n");
            File.Move(temporary, holderPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The lock itself is held; only the description for a refused second writer is missing.
        }

        return new RunLock(handle, holderPath, holder);
    }

    /// <summary>
    /// Who holds the lock, as written by the holder. A holder that has just taken the lock writes its note a moment
    /// later, so a missing note is read again for up to half a second.
    /// </summary>
    private static string DescribeHolder(string holderPath)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                string text = File.ReadAllText(holderPath).Trim();
                if (text.Length > 0)
                {
                    return $"held by {text}";
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not written yet: try again.
            }

            Thread.Sleep(50);
        }

        return "holder not recorded";
    }

    /// <summary>Removes the holder note (when it is still this process's) and releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            if (File.Exists(_holderPath) && File.ReadAllText(_holderPath).Trim() == _holder)
            {
                File.Delete(_holderPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A note left behind is harmless: the next holder overwrites it.
        }

        _lock.Dispose();
    }
}

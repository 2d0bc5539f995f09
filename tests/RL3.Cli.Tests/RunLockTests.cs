using System.Diagnostics;
using System.Text;

namespace RL3.Cli.Tests;

/// <summary>
/// One writer per run directory (issue 16): a second train, evaluate or compare on a directory in use is refused
/// with one line naming the holder, in-process and across processes; a killed holder leaves no stale lock; options
/// are validated before any directory is created.
/// </summary>
public sealed class RunLockTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = CliRunner.TempDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase("train", "--preset", CliRunner.TinyPreset, "--set", "ppo.learningRate=-1")]
    [TestCase("train", "--preset", CliRunner.TinyPreset, "--set", "ppo.minibatchSequences=100000")]
    [TestCase("train", "--preset", CliRunner.TinyPreset, "--set", "policy.bogus=1")]
    [TestCase("train", "--preset", CliRunner.TinyPreset, "--set", "evaluation.taskCount=0")]
    [TestCase("compare", "--set", "ppo.learningRate=0")]
    [TestCase("compare", "--rl3", "bandits-h10-rl3-quick")]
    public void Command_RejectedOptions_CreatesNoDirectory(params string[] args)
    {
        string run = Path.Combine(_dir, "run");
        var (code, _, error) = CliRunner.Run([.. args, "--out", run]);
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(Directory.Exists(run), Is.False, "a rejected command must not leave its --out directory behind");
    }

    [TestCase("ppo.learningRate", "-1", "LearningRate must be positive")]
    [TestCase("ppo.minibatchSequences", "100000", "MinibatchSequences (100000) must not exceed")]
    [TestCase("evaluation.taskCount", "0", "evaluation.taskCount must be at least 1")]
    [TestCase("inner.gamma", "1.5", "Gamma must be in [0, 1]; got 1.5")]
    [TestCase("inner.maxSweeps", "0", "MaxSweeps must be in [1, int.MaxValue] or null; got 0")]
    public void Train_SetOutOfRange_NamesTheKeyAndTheValueGiven(string key, string value, string reason)
    {
        var (code, _, error) = CliRunner.Run("train", "--preset", CliRunner.TinyPreset, "--out", Path.Combine(_dir, "run"), "--set", $"{key}={value}");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.StartWith($"rl3: invalid preset '{CliRunner.TinyPreset}': --set {key}={value} rejected: "));
            Assert.That(error, Does.Contain(reason));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void Commands_DirectoryLockedInThisProcess_AreRefusedNamingTheHolder()
    {
        string run = Path.Combine(_dir, "run");
        Assert.That(CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", run, "--iterations", "1", .. CliRunner.Tiny]).ExitCode, Is.EqualTo(0));
        string locked = Path.Combine(_dir, "locked");
        Directory.CreateDirectory(locked);
        using (RunLock.Acquire(new RunDirectory(locked), "test"))
        {
            string[][] writers =
            [
                ["train", "--preset", CliRunner.TinyPreset, "--out", locked, "--iterations", "1", .. CliRunner.Tiny],
                ["evaluate", "--checkpoint", run, "--tasks", "5", "--out", locked],
                ["compare", "--tasks", "5", "--iterations", "1", "--out", locked, .. CliRunner.Tiny],
            ];
            foreach (var args in writers)
            {
                var (code, _, error) = CliRunner.Run(args);
                Assert.Multiple(() =>
                {
                    Assert.That(code, Is.EqualTo(2), args[0]);
                    Assert.That(error, Does.StartWith($"rl3: '{locked}' is in use by another rl3 command (held by rl3 test, pid {Environment.ProcessId} on {Environment.MachineName}, started "), args[0]);
                    Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), args[0]);
                });
            }

            Assert.That(File.Exists(Path.Combine(locked, "preset.json")), Is.False, "the refused writers wrote nothing");
        }

        Assert.That(File.Exists(Path.Combine(locked, RunLock.HolderFile)), Is.False, "a released lock removes its holder note");
        Assert.That(CliRunner.Run("evaluate", "--checkpoint", run, "--tasks", "5", "--out", locked).ExitCode, Is.EqualTo(0), "released: the next writer gets the directory");
    }

    [Test]
    public void Train_TwoProcessesStartedTogether_ExactlyOneWrites()
    {
        string run = Path.Combine(_dir, "run");
        string[] args = ["train", "--preset", CliRunner.TinyPreset, "--out", run, "--iterations", "3", .. CliRunner.Tiny];
        using var a = ChildProcess.Start(_dir, args);
        using var b = ChildProcess.Start(_dir, args);
        var results = new[] { a.WaitForExit(), b.WaitForExit() };
        Assert.That(results.Select(r => r.ExitCode).Order(), Is.EqualTo(new[] { 0, 2 }), string.Join("\n", results.Select(r => r.Error)));
        string refused = results.Single(r => r.ExitCode == 2).Error;
        Assert.That(refused, Does.Contain("is in use by another rl3 command (held by rl3 train, pid").Or.Contain("already holds a run"));
    }

    [Test]
    public void Train_HolderKilled_LeavesNoStaleLock()
    {
        string run = Path.Combine(_dir, "run");
        using var holder = ChildProcess.Start(_dir, ["train", "--preset", CliRunner.TinyPreset, "--out", run, "--iterations", "100000", .. CliRunner.Tiny]);
        string checkpoint = Path.Combine(run, "checkpoint.bin");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(checkpoint) && File.Exists(Path.Combine(run, RunLock.HolderFile))))
        {
            Assert.That(holder.HasExited, Is.False, "the holder ended early: " + holder.Error);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "no checkpoint from the holder");
            Thread.Sleep(100);
        }

        using (var second = ChildProcess.Start(_dir, ["train", "--out", run, "--resume"]))
        {
            var refused = second.WaitForExit();
            Assert.That(refused.ExitCode, Is.EqualTo(2), refused.Error);
            Assert.That(refused.Error, Does.Contain($"held by rl3 train, pid {holder.Id} on "));
        }

        holder.Kill();
        var resumed = CliRunner.Run("train", "--out", run, "--resume", "--stop-after", "1");
        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Error);
        Assert.That(resumed.Output, Does.Contain("resuming"));
    }

    /// <summary>The real <c>rl3</c> (the built rl3.dll beside the tests) in a child process, its output captured.</summary>
    private sealed class ChildProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _error = new();

        private ChildProcess(Process process) => _process = process;

        public int Id => _process.Id;

        public bool HasExited => _process.HasExited;

        public string Error
        {
            get
            {
                lock (_error)
                {
                    return _error.ToString();
                }
            }
        }

        public static ChildProcess Start(string workingDirectory, string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "rl3.dll"));
            foreach (string a in args)
            {
                start.ArgumentList.Add(a);
            }

            var child = new ChildProcess(new Process { StartInfo = start });
            child._process.OutputDataReceived += (_, _) => { };
            child._process.ErrorDataReceived += (_, e) =>
            {
                lock (child._error)
                {
                    child._error.AppendLine(e.Data);
                }
            };
            child._process.Start();
            child._process.BeginOutputReadLine();
            child._process.BeginErrorReadLine();
            return child;
        }

        public (int ExitCode, string Error) WaitForExit()
        {
            if (!_process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                _process.Kill();
                Assert.Fail("the rl3 child process did not finish in 3 minutes");
            }

            _process.WaitForExit();
            return (_process.ExitCode, Error);
        }

        /// <summary>SIGKILL on Unix (TerminateProcess on Windows): no handler of the child runs.</summary>
        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}

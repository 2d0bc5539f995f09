using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RL3.Cli.Tests;

/// <summary>
/// The multi-process cluster test of issue 14: a redis-server of its own on a free loopback port (the membership
/// store), two <c>rl3 worker</c> processes and an <c>rl3 train --cluster --shards 5</c> learner process; one worker is
/// killed (SIGKILL) while the run goes on, and the run ends bit-identical to <c>rl3 train --shards 5</c> in one process.
/// ./test.sh installs redis-server when it is missing; every child process is killed (with its tree) when the test ends,
/// and each runs under <c>timeout</c> so that none outlives a crashed test host by more than five minutes.
/// </summary>
[NonParallelizable]
public sealed class DistributedTrainingTests
{
    private const string Shards = "5";
    private const string Iterations = "6";
    private static readonly TimeSpan JoinLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(240);

    private readonly List<ChildProcess> _children = [];
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = CliRunner.TempDirectory();

    [TearDown]
    public void TearDown()
    {
        foreach (var child in _children)
        {
            child.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void TrainCluster_RedisLearnerAndTwoWorkers_WorkerKilled_MatchesOneProcessBitForBit()
    {
        string redisServer = RedisServer();
        int redisPort = FreePort();
        var redis = Start("redis", redisServer, ["--port", redisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        WaitForPort(redisPort, redis);
        string cluster = $"127.0.0.1:{redisPort}";
        string key = Path.Combine(_dir, "cluster.key");

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 2).Select(i => StartRl3($"worker{i}", ["worker", "--cluster", cluster, "--key-file", key])).ToArray();
        foreach (var worker in workers)
        {
            worker.WaitForOutput("joined cluster", JoinLimit);
        }

        TestContext.Out.WriteLine($"workers joined after {clock.Elapsed.TotalSeconds:0.0} s");
        string distributed = Path.Combine(_dir, "distributed");
        var learner = StartRl3("learner", ["train", "--preset", CliRunner.TinyPreset, "--out", distributed, "--iterations", Iterations, "--shards", Shards, "--cluster", cluster, "--key-file", key, "--straggler-timeout", "60", .. CliRunner.Tiny]);
        learner.WaitForOutput($"it 2/{Iterations}", RunLimit);
        TestContext.Out.WriteLine($"iteration 2 done after {clock.Elapsed.TotalSeconds:0.0} s");
        workers[1].Kill();
        int exit = learner.WaitForExit(RunLimit);
        TestContext.Out.WriteLine($"learner done after {clock.Elapsed.TotalSeconds:0.0} s\n{learner.Describe()}");
        Assert.That(exit, Is.EqualTo(0), learner.Describe());

        string single = Path.Combine(_dir, "single");
        var reference = CliRunner.Run(["train", "--preset", CliRunner.TinyPreset, "--out", single, "--iterations", Iterations, "--shards", Shards, .. CliRunner.Tiny]);
        Assert.That(reference.ExitCode, Is.EqualTo(0), reference.Error);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(Path.Combine(distributed, "checkpoint.bin")), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, "checkpoint.bin"))), "checkpoints");
            Assert.That(HeldOut(learner.Output), Is.EqualTo(HeldOut(reference.Output)), "held-out evaluation");
            Assert.That(learner.Output, Does.Contain("2 workers × ≤3 shards"), "the progress line shows the cluster before the kill");
            Assert.That(learner.Output, Does.Match(@"shard\(s\) moved"), "the killed worker's shards moved");
        });
    }

    /// <summary>The held-out line without its timing: "held-out RL³: 4.775 ± 0.323".</summary>
    private static string HeldOut(string output)
    {
        string line = output.Split('\n').Single(l => l.StartsWith("held-out", StringComparison.Ordinal));
        return line[..line.IndexOf(" (", StringComparison.Ordinal)];
    }

    private static string RedisServer()
    {
        if (Environment.GetEnvironmentVariable("RL3_REDIS_UNAVAILABLE") is { Length: > 0 } reason)
        {
            Assert.Ignore($"redis-server is not available: {reason}");
        }

        if (Environment.GetEnvironmentVariable("RL3_REDIS_SERVER") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, "redis-server");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("redis-server is not on PATH: run ./test.sh (it installs redis-server with apt-get) or set RL3_REDIS_SERVER");
        return "";
    }

    private ChildProcess StartRl3(string name, string[] args) =>
        Start(name, "dotnet", [Path.Combine(TestContext.CurrentContext.TestDirectory, "rl3.dll"), .. args]);

    private ChildProcess Start(string name, string program, string[] args)
    {
        var child = ChildProcess.Start(name, _dir, program, args);
        _children.Add(child);
        return child;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitForPort(int port, ChildProcess owner)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Assert.That(owner.HasExited, Is.False, owner.Describe());
                Thread.Sleep(100);
            }
        }

        Assert.Fail($"nothing listens on port {port} after 20 s: {owner.Describe()}");
    }

    /// <summary>A child process under <c>timeout 300</c> (no orphan outlives five minutes), its output captured.</summary>
    private sealed class ChildProcess : IDisposable
    {
        private readonly Process _process;
        private readonly string _name;
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _error = new();

        private ChildProcess(string name, Process process)
        {
            _name = name;
            _process = process;
        }

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static ChildProcess Start(string name, string workingDirectory, string program, string[] args)
        {
            var start = new ProcessStartInfo("timeout") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add("KILL");
            start.ArgumentList.Add("300");
            start.ArgumentList.Add(program);
            foreach (string a in args)
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["CI"] = "true";
            var child = new ChildProcess(name, new Process { StartInfo = start });
            child._process.OutputDataReceived += (_, e) => Append(child._output, e.Data);
            child._process.ErrorDataReceived += (_, e) => Append(child._error, e.Data);
            child._process.Start();
            child._process.BeginOutputReadLine();
            child._process.BeginErrorReadLine();
            return child;
        }

        public void WaitForOutput(string text, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (_process.HasExited)
                {
                    Thread.Sleep(200);
                    if (Output.Contains(text, StringComparison.Ordinal))
                    {
                        return;
                    }

                    Assert.Fail($"{_name} exited before printing '{text}': {Describe()}");
                }

                if (clock.Elapsed > limit)
                {
                    Assert.Fail($"{_name} did not print '{text}' within {limit.TotalSeconds:0} s: {Describe()}");
                }

                Thread.Sleep(100);
            }
        }

        public int WaitForExit(TimeSpan limit)
        {
            if (!_process.WaitForExit(limit))
            {
                Assert.Fail($"{_name} did not finish within {limit.TotalSeconds:0} s: {Describe()}");
            }

            _process.WaitForExit();
            return _process.ExitCode;
        }

        /// <summary>SIGKILL to the child and its tree: no handler runs.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public string Describe()
        {
            string error;
            lock (_error)
            {
                error = _error.ToString();
            }

            return $"{_name}: exit {(_process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(running)")}\n--- stdout\n{Tail(Output)}\n--- stderr\n{Tail(error)}";
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit();
                }
            }
            catch (InvalidOperationException)
            {
                // Never started, or already reaped.
            }

            _process.Dispose();
        }

        private static void Append(StringBuilder sink, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (sink)
            {
                sink.AppendLine(line);
            }
        }

        private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
    }
}

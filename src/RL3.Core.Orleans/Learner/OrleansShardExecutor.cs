using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RL3.Core.Orleans.Grains;
using RL3.Core.Orleans.Messages;
using RL3.Core.Training.Shards;

namespace RL3.Core.Orleans.Learner;

/// <summary>
/// The learner's <see cref="IShardExecutor"/> on an Orleans cluster: each iteration's shards are given to the worker
/// silos present when the iteration starts (contiguous blocks of shards, one worker grain per silo); every later call of
/// the iteration goes to the worker that holds the shard's rollout, with the weights once per worker and call, and the
/// results come back per shard, in shard order, so the trainer sums them exactly as in one process.
/// </summary>
/// <remarks>
/// <para>
/// Faults: a call that fails because its worker is gone (its silo left the cluster, the connection broke, the worker
/// lost its state) or that takes longer than <see cref="DistributedTrainingOptions.StragglerTimeout"/> gives the worker's
/// shards to the least-loaded remaining worker for the rest of the iteration. That worker first rebuilds each shard's
/// rollout from the iteration's rollout request (a pure function of it; the rebuilt rollout is checked against the first
/// one's random-stream states and moments) and then answers the call, so the iteration's result does not change. An
/// exception thrown by the computation itself (bad options, a diverged loss) is not a fault of the worker and reaches
/// the trainer unchanged. Workers that join take shards from the next iteration on.
/// </para>
/// <para>Not thread-safe: one trainer drives it, one call at a time.</para>
/// </remarks>
public sealed class OrleansShardExecutor : IShardExecutor
{
    private const int MessageOverheadBytes = 64;

    private readonly IGrainFactory _grains;
    private readonly IManagementGrain _management;
    private readonly RunDescription _run;
    private readonly DistributedTrainingOptions _options;
    private readonly ILogger _logger;
    private readonly int _shardCount;
    private readonly string?[] _assignment;
    private readonly bool[] _held;
    private readonly HashSet<string> _excluded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stateLost = new(StringComparer.Ordinal);
    private ShardRolloutRequest[] _rollouts = [];
    private FloatBuffer? _rolloutParameters;
    private ShardRolloutResult[] _rolloutResults = [];
    private string[] _active = [];
    private long _activeReadAt;
    private IterationCounters _counters = new();

    /// <summary>Creates the executor of one run.</summary>
    /// <param name="grains">The learner's grain factory (its <c>IClusterClient</c>).</param>
    /// <param name="specification">What the workers build the run from: TrainingPreset JSON for the default <c>PresetShardWorkerFactory</c>.</param>
    /// <param name="shardCount">S, the run's shard count (<c>PpoOptions.Shards</c>).</param>
    /// <param name="options">Time-outs and the workers to wait for; copied and validated. Null for the defaults.</param>
    /// <param name="logger">Receives a line per lost worker and reassigned shard; null for none.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public OrleansShardExecutor(IGrainFactory grains, string specification, int shardCount, DistributedTrainingOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(specification);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        _options = (options ?? new DistributedTrainingOptions()).Clone();
        _options.Validate();
        _grains = grains;
        _management = grains.GetGrain<IManagementGrain>(0);
        _shardCount = shardCount;
        _assignment = new string?[shardCount];
        _held = new bool[shardCount];
        _logger = logger ?? NullLogger.Instance;

        // Tells this learner's runs apart on workers that served another learner; not a secret and not a result.
        Span<byte> id = stackalloc byte[12];
        RandomNumberGenerator.Fill(id);
        _run = new RunDescription(Convert.ToHexStringLower(id), specification);
    }

    /// <inheritdoc />
    public int ShardCount => _shardCount;

    /// <summary>What the current (or last) iteration cost so far; reset when an iteration's rollouts start.</summary>
    public DistributedIterationStatistics Statistics => _counters.ToStatistics();

    /// <summary>The worker (silo address) that holds each shard's rollout of the current iteration, in shard order.</summary>
    public IReadOnlyList<string?> Assignment => _assignment;

    /// <inheritdoc />
    public async ValueTask<ShardRolloutResult[]> CollectRolloutsAsync(IReadOnlyList<ShardRolloutRequest> requests, CancellationToken cancellationToken = default)
    {
        CheckShards(requests, r => r.Shard);
        _counters = new IterationCounters();
        _excluded.Clear();
        _stateLost.Clear();
        var workers = await WaitForWorkers(_options.MinimumWorkers, cancellationToken).ConfigureAwait(false);
        for (int s = 0; s < _shardCount; s++)
        {
            _assignment[s] = workers[(int)((long)s * workers.Length / _shardCount)];
            _held[s] = false;
        }

        _counters.Workers = Math.Min(workers.Length, _shardCount);
        _counters.MaxShardsPerWorker = _assignment.GroupBy(w => w).Max(g => g.Count());
        // A snapshot: the trainer may reuse its buffers (the weights change with every minibatch), and a shard lost later
        // in the iteration is rebuilt from the iteration-start weights and stream states.
        _rollouts = [.. requests.Select(Snapshot)];
        _rolloutParameters = SharedParameters(requests, r => r.Parameters);
        var results = await RunPhase<ShardRolloutResult>(
            rollout: true,
            (grain, shards) => CallRollouts(grain, shards),
            cancellationToken).ConfigureAwait(false);
        _rolloutResults = results;
        return results;
    }

    /// <inheritdoc />
    public async ValueTask<ShardGradientResult[]> ComputeGradientsAsync(IReadOnlyList<ShardGradientRequest> requests, CancellationToken cancellationToken = default)
    {
        CheckShards(requests, r => r.Shard);
        CheckIteration(requests[0].Iteration);
        var first = requests[0];
        var parameters = SharedParameters(requests, r => r.Parameters);
        return await RunPhase<ShardGradientResult>(
            rollout: false,
            async (grain, shards) =>
            {
                var call = new GradientCall(first.Iteration, first.Epoch, first.Minibatch, parameters, [.. shards.Select(s => ShardWire.ToPart(requests[s]))]);
                var replies = await grain.ComputeGradients(_run.RunId, call).ConfigureAwait(false);
                var results = replies.Select(ShardWire.ToResult).ToArray();
                long received = replies.Sum(r => (long)r.Gradients.Bytes.Length + MessageOverheadBytes);
                return (results, results.Sum(r => r.Seconds), parameters.Bytes.Length + (long)MessageOverheadBytes * shards.Length, received);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ShardKlResult[]> ComputeKlAsync(IReadOnlyList<ShardKlRequest> requests, CancellationToken cancellationToken = default)
    {
        CheckShards(requests, r => r.Shard);
        CheckIteration(requests[0].Iteration);
        int iteration = requests[0].Iteration;
        var parameters = SharedParameters(requests, r => r.Parameters);
        return await RunPhase<ShardKlResult>(
            rollout: false,
            async (grain, shards) =>
            {
                var replies = await grain.ComputeKl(_run.RunId, new KlCall(iteration, parameters, shards)).ConfigureAwait(false);
                var results = replies.Select(ShardWire.ToResult).ToArray();
                return (results, results.Sum(r => r.Seconds), parameters.Bytes.Length + (long)MessageOverheadBytes * shards.Length, (long)MessageOverheadBytes * shards.Length);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<(ShardRolloutResult[] Results, double Seconds, long Sent, long Received)> CallRollouts(IShardWorkerGrain grain, int[] shards)
    {
        var parameters = _rolloutParameters!;
        var call = new RolloutCall(_rollouts[shards[0]].Iteration, parameters, [.. shards.Select(s => ShardWire.ToPart(_rollouts[s]))]);
        var replies = await grain.CollectRollouts(_run, call).ConfigureAwait(false);
        var results = replies.Select(ShardWire.ToResult).ToArray();
        long sent = parameters.Bytes.Length + _run.Specification.Length + call.Shards.Sum(p => 8L * (p.SlotRandomStates.Length + p.ActingRandomState.Length + p.ShuffleRandomState.Length) + MessageOverheadBytes);
        long received = replies.Sum(r => 8L * (r.SlotRandomStates.Length + r.ActingRandomState.Length + r.ShuffleRandomState.Length) + 32L * r.MinibatchAdvantages.Length + MessageOverheadBytes);
        return (results, results.Sum(r => r.Seconds), sent, received);
    }

    /// <summary>Runs one call per worker for every shard, giving the shards of lost or late workers to others until every shard has its result.</summary>
    private async Task<TResult[]> RunPhase<TResult>(bool rollout, Func<IShardWorkerGrain, int[], Task<(TResult[] Results, double Seconds, long Sent, long Received)>> call, CancellationToken cancellationToken)
    {
        var results = new TResult[_shardCount];
        var done = new bool[_shardCount];
        while (true)
        {
            var groups = Enumerable.Range(0, _shardCount).Where(s => !done[s]).GroupBy(s => _assignment[s]!, StringComparer.Ordinal).Select(g => (Worker: g.Key, Shards: g.ToArray())).ToArray();
            if (groups.Length == 0)
            {
                return results;
            }

            long start = Stopwatch.GetTimestamp();
            var attempts = groups.Select(g => Attempt(g.Worker, g.Shards, rollout, call, cancellationToken)).ToArray();
            var outcomes = await Task.WhenAll(attempts).ConfigureAwait(false);
            double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double busiest = 0;
            for (int g = 0; g < groups.Length; g++)
            {
                var outcome = outcomes[g];
                _counters.Calls++;
                if (outcome.Fatal is { } fatal)
                {
                    fatal.Throw();
                }

                if (outcome.Results is { } answered)
                {
                    for (int i = 0; i < groups[g].Shards.Length; i++)
                    {
                        results[groups[g].Shards[i]] = answered[i];
                        done[groups[g].Shards[i]] = true;
                    }

                    busiest = Math.Max(busiest, outcome.Seconds);
                    _counters.BytesSent += outcome.Sent;
                    _counters.BytesReceived += outcome.Received;
                }
                else if (outcome.StateLost && _stateLost.Add(groups[g].Worker))
                {
                    // The worker is alive but lost what it held (its grain was reactivated, e.g. while the cluster
                    // re-partitioned its directory after another silo died): rebuild its shards on it, once per iteration.
                    foreach (int s in groups[g].Shards)
                    {
                        _held[s] = false;
                    }

                    LogRebuilt(_logger, groups[g].Worker, outcome.LossReason!);
                }
                else
                {
                    await Reassign(groups[g].Worker, groups[g].Shards, outcome.LossReason!, cancellationToken).ConfigureAwait(false);
                }
            }

            if (rollout)
            {
                _counters.RolloutSeconds += busiest;
            }
            else
            {
                _counters.GradientSeconds += busiest;
            }

            _counters.CommunicationSeconds += Math.Max(0, wall - busiest);
        }
    }

    private async Task<Outcome<TResult>> Attempt<TResult>(string worker, int[] shards, bool rollout, Func<IShardWorkerGrain, int[], Task<(TResult[] Results, double Seconds, long Sent, long Received)>> call, CancellationToken cancellationToken)
    {
        var grain = _grains.GetGrain<IShardWorkerGrain>(worker);
        long start = Stopwatch.GetTimestamp();
        try
        {
            double replaySeconds = 0;
            long replaySent = 0, replayReceived = 0;
            int[] missing = rollout ? [] : [.. shards.Where(s => !_held[s])];
            if (missing.Length > 0)
            {
                var replay = await Watch(worker, CallRollouts(grain, missing), start, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < missing.Length; i++)
                {
                    CheckReplay(_rolloutResults[missing[i]], replay.Results[i]);
                    _held[missing[i]] = true;
                }

                (replaySeconds, replaySent, replayReceived) = (replay.Seconds, replay.Sent, replay.Received);
            }

            var answer = await Watch(worker, call(grain, shards), start, cancellationToken).ConfigureAwait(false);
            if (rollout)
            {
                foreach (int s in shards)
                {
                    _held[s] = true;
                }
            }

            return new Outcome<TResult>(answer.Results, answer.Seconds + replaySeconds, answer.Sent + replaySent, answer.Received + replayReceived, null, null, false);
        }
        catch (Exception ex) when (IsWorkerLoss(ex))
        {
            return new Outcome<TResult>(null, 0, 0, 0, null, ex is TimeoutException ? ex.Message : $"{ex.GetType().Name}: {FirstLine(ex.Message)}", ex is WorkerStateLostException);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Outcome<TResult>(null, 0, 0, 0, ExceptionDispatchInfo.Capture(ex), null, false);
        }
    }

    /// <summary>Awaits a worker's call, giving up when the worker's silo leaves the cluster or the straggler time-out passes.</summary>
    private async Task<T> Watch<T>(string worker, Task<T> call, long start, CancellationToken cancellationToken)
    {
        Abandon(call);
        while (true)
        {
            var finished = await Task.WhenAny(call, Task.Delay(_options.MembershipPollInterval, cancellationToken)).ConfigureAwait(false);
            if (finished == call)
            {
                return await call.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (Stopwatch.GetElapsedTime(start) > _options.StragglerTimeout)
            {
                throw new TimeoutException($"straggler: no answer within {_options.StragglerTimeout.TotalSeconds:0.#} s (DistributedTrainingOptions.StragglerTimeout)");
            }

            if (Array.IndexOf(await ActiveWorkers(cancellationToken).ConfigureAwait(false), worker) < 0)
            {
                throw new WorkerSiloUnavailableException($"worker silo {worker} left the cluster");
            }
        }
    }

    private async Task Reassign(string worker, int[] shards, string reason, CancellationToken cancellationToken)
    {
        _excluded.Add(worker);
        foreach (int s in shards)
        {
            string next = await PickWorker(cancellationToken).ConfigureAwait(false);
            _assignment[s] = next;
            _held[s] = false;
            _counters.ReassignedShards++;
            LogReassigned(_logger, s, worker, next, reason);
        }
    }

    private async Task<string> PickWorker(CancellationToken cancellationToken)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(_options.WorkerWaitTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var active = await ActiveWorkers(cancellationToken, fresh: true).ConfigureAwait(false);
            var candidates = active.Where(w => !_excluded.Contains(w)).ToArray();
            if (candidates.Length == 0 && active.Length > 0)
            {
                // Every live worker failed once this iteration: give them another chance rather than stop.
                _excluded.Clear();
                candidates = active;
            }

            if (candidates.Length > 0)
            {
                return candidates.OrderBy(w => _assignment.Count(a => a == w)).ThenBy(w => w, StringComparer.Ordinal).First();
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new NoWorkersException($"every RL3 worker left the cluster and none joined within {_options.WorkerWaitTimeout.TotalSeconds:0.#} s (DistributedTrainingOptions.WorkerWaitTimeout); start workers (rl3 worker --cluster …) and resume the run from its checkpoint.");
            }

            await Task.Delay(_options.MembershipPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string[]> WaitForWorkers(int minimum, CancellationToken cancellationToken)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(_options.WorkerWaitTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var active = await ActiveWorkers(cancellationToken, fresh: true).ConfigureAwait(false);
            if (active.Length >= minimum)
            {
                return active;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new NoWorkersException($"{active.Length} RL3 worker(s) in the cluster after {_options.WorkerWaitTimeout.TotalSeconds:0.#} s; the run waits for at least {minimum} (DistributedTrainingOptions.MinimumWorkers). Start workers with the same key and membership store (rl3 worker --cluster …).");
            }

            await Task.Delay(_options.MembershipPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The active silos (each hosts a worker), sorted; read at most once per poll interval unless <paramref name="fresh"/>.</summary>
    private async Task<string[]> ActiveWorkers(CancellationToken cancellationToken, bool fresh = false)
    {
        if (!fresh && Stopwatch.GetElapsedTime(_activeReadAt) < _options.MembershipPollInterval)
        {
            return _active;
        }

        try
        {
            var hosts = await _management.GetHosts(onlyActive: true).WaitAsync(_options.StragglerTimeout, cancellationToken).ConfigureAwait(false);
            _active = [.. hosts.Keys.Select(h => h.ToParsableString()).Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (IsWorkerLoss(ex))
        {
            // The gateway the question went through is gone: keep the last answer; the client moves to another gateway.
            LogMembershipUnreadable(_logger, FirstLine(ex.Message));
        }

        _activeReadAt = Stopwatch.GetTimestamp();
        return _active;
    }

    private static ShardRolloutRequest Snapshot(ShardRolloutRequest r) => new()
    {
        Iteration = r.Iteration,
        Shard = r.Shard,
        ShardCount = r.ShardCount,
        TaskPosition = r.TaskPosition,
        Parameters = [],
        SlotRandomStates = [.. r.SlotRandomStates],
        ActingRandomState = [.. r.ActingRandomState],
        ShuffleRandomState = [.. r.ShuffleRandomState],
    };

    private static bool IsWorkerLoss(Exception ex) =>
        ex is OrleansException or TimeoutException or WorkerSiloUnavailableException or WorkerStateLostException or System.Net.Sockets.SocketException or IOException;

    private static void Abandon<T>(Task<T> call) =>
        _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static void CheckReplay(ShardRolloutResult first, ShardRolloutResult replay)
    {
        if (!first.SlotRandomStates.AsSpan().SequenceEqual(replay.SlotRandomStates)
            || !first.ActingRandomState.AsSpan().SequenceEqual(replay.ActingRandomState)
            || !first.ShuffleRandomState.AsSpan().SequenceEqual(replay.ShuffleRandomState)
            || first.EpisodeReturns != replay.EpisodeReturns
            || first.CriticTargets != replay.CriticTargets)
        {
            throw new InvalidOperationException($"shard {first.Shard}'s rollout of iteration {first.Iteration}, rebuilt on another worker, differs from the first one: the workers do not compute the same bits (different builds, CPUs with other vector paths, or a non-deterministic component).");
        }
    }

    private FloatBuffer SharedParameters<TRequest>(IReadOnlyList<TRequest> requests, Func<TRequest, float[]> parameters)
    {
        float[] first = parameters(requests[0]);
        for (int s = 1; s < requests.Count; s++)
        {
            float[] other = parameters(requests[s]);
            if (!ReferenceEquals(other, first) && !other.AsSpan().SequenceEqual(first))
            {
                throw new ArgumentException($"every shard of one call is computed at the same weights; shard {s}'s differ from shard 0's.", nameof(requests));
            }
        }

        return FloatBuffer.CopyOf(first);
    }

    private void CheckShards<TRequest>(IReadOnlyList<TRequest> requests, Func<TRequest, int> shard)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count != _shardCount)
        {
            throw new ArgumentException($"one request per shard is needed: {_shardCount} shards, {requests.Count} requests.", nameof(requests));
        }

        for (int s = 0; s < requests.Count; s++)
        {
            if (shard(requests[s]) != s)
            {
                throw new ArgumentException($"requests go in shard order: request {s} is for shard {shard(requests[s])}.", nameof(requests));
            }
        }
    }

    private void CheckIteration(int iteration)
    {
        if (_rolloutResults.Length != _shardCount || _rolloutResults[0].Iteration != iteration)
        {
            throw new InvalidOperationException($"iteration {iteration}'s rollouts have not been collected through this executor; call CollectRolloutsAsync first.");
        }
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    private static void LogReassigned(ILogger logger, int shard, string from, string to, string reason) =>
        logger.LogWarning("shard {Shard} moves from worker {From} to {To}: {Reason}", shard, from, to, reason);

    private static void LogRebuilt(ILogger logger, string worker, string reason) =>
        logger.LogWarning("worker {Worker} rebuilds its shards' rollouts: {Reason}", worker, reason);

    private static void LogMembershipUnreadable(ILogger logger, string reason) =>
        logger.LogDebug("membership not readable this time: {Reason}", reason);

    private sealed record Outcome<TResult>(TResult[]? Results, double Seconds, long Sent, long Received, ExceptionDispatchInfo? Fatal, string? LossReason, bool StateLost);

    private sealed class IterationCounters
    {
        public int Workers;
        public int MaxShardsPerWorker;
        public double RolloutSeconds;
        public double GradientSeconds;
        public double CommunicationSeconds;
        public long BytesSent;
        public long BytesReceived;
        public int Calls;
        public int ReassignedShards;

        public DistributedIterationStatistics ToStatistics() =>
            new(Workers, MaxShardsPerWorker, RolloutSeconds, GradientSeconds, CommunicationSeconds, BytesSent, BytesReceived, Calls, ReassignedShards);
    }
}

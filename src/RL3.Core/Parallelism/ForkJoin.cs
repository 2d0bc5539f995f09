using System.Runtime.ExceptionServices;

namespace RL3.Core.Parallelism;

/// <summary>
/// Runs <c>body(0) … body(parts − 1)</c> across the calling thread and the thread pool and returns when all parts
/// are done, without allocating per run (unlike <c>Parallel.For</c>, which allocates its loop bookkeeping on
/// every call).
/// </summary>
/// <remarks>
/// Parts are claimed one at a time from a shared counter by every participant. The calling thread takes part as
/// well, so a run finishes even if no pool thread ever picks up the work; a pool thread that arrives late finds
/// nothing left and returns, or joins the next run. At most parts − 1 helpers wait in the pool's queue at any time. Which thread runs which part varies, so each part must write only its own outputs.
/// The first exception thrown by a part is rethrown on the calling thread once every part has finished. Not
/// re-entrant: one <see cref="Run"/> at a time per instance.
/// </remarks>
internal sealed class ForkJoin
{
    private readonly Action<int> _body;
    private readonly int _parts;
    private readonly Helper _helper;
    private readonly ManualResetEventSlim _done = new(false);
    private int _next;
    private int _completed;
    private int _queued;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Creates the runner.</summary>
    /// <param name="parts">Number of parts per run (at least 1).</param>
    /// <param name="body">The work of one part, given its index.</param>
    public ForkJoin(int parts, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentNullException.ThrowIfNull(body);
        _parts = parts;
        _body = body;
        _next = parts;
        _helper = new Helper(this);
    }

    /// <summary>Runs every part once; returns when all have finished.</summary>
    public void Run()
    {
        if (_parts == 1)
        {
            _body(0);
            return;
        }

        // Reset before publishing the new counter: until then a late participant of the previous run sees no parts left.
        _failure = null;
        _completed = 0;
        _done.Reset();
        Volatile.Write(ref _next, 0);

        // Helpers still waiting in the pool's queue from earlier runs will join this one, so only the missing ones are
        // queued: the queue never holds more than parts − 1 of them (an ever longer queue would allocate segments).
        for (int i = Volatile.Read(ref _queued); i < _parts - 1; i++)
        {
            Interlocked.Increment(ref _queued);
            ThreadPool.UnsafeQueueUserWorkItem(_helper, preferLocal: false);
        }

        Participate();
        _done.Wait();
        _failure?.Throw();
    }

    private void Participate()
    {
        int part;
        while ((part = Interlocked.Increment(ref _next) - 1) < _parts)
        {
            try
            {
                _body(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                if (Interlocked.Increment(ref _completed) == _parts)
                {
                    _done.Set();
                }
            }
        }
    }

    /// <summary>The pool's entry point (one shared instance, queued once per extra thread).</summary>
    private sealed class Helper(ForkJoin owner) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            Interlocked.Decrement(ref owner._queued);
            owner.Participate();
        }
    }
}

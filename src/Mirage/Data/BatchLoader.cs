using System.Runtime.ExceptionServices;
using Mirage.Randomness;

namespace Mirage.Data;

/// <summary>
/// The order half of a <see cref="BatchIterator{T}"/>: which batch comes next (epoch after epoch, each epoch's order
/// from <see cref="StreamKeys.EpochShuffle"/>), the worker threads that build batches ahead, the prefetch bound, and
/// which consumer gets which batch. Building a batch is the <see cref="BatchBuilder{T}"/>'s job, passed in as
/// <c>build</c>.
/// </summary>
/// <remarks>
/// Batches are numbered by a sequence (epoch × batches per epoch + batch index). A consumer claims the next number and
/// takes its batch, built by a worker or, without workers, on its own thread. A consumer cancelled after claiming gives
/// its number back (the next consumer takes it first), so cancelling never loses or repeats a batch; a worker stopped
/// in the middle of a batch puts its number on the list to build again.
/// </remarks>
internal sealed class BatchLoader<T> : IDisposable where T : unmanaged
{
    private readonly Func<int, int, int[], CancellationToken, Batch<T>> _build;
    private readonly Action<int> _epochDelivered;
    private readonly object _owner;
    private readonly FlowOptions _options;
    private readonly int _length, _samples;
    private readonly ulong _seed;
    private readonly object _gate = new();
    private readonly Dictionary<long, (Batch<T>? Batch, ExceptionDispatchInfo? Error)> _ready = [];
    private readonly SortedSet<long> _givenBack = [];  // claimed, then given back by a cancelled consumer: claimed first
    private readonly SortedSet<long> _rebuild = [];    // a stopped worker's unfinished batches: built first
    private readonly Dictionary<int, int> _deliveredPerEpoch = [];
    private readonly object _orderGate = new();
    private (int Epoch, int[] Order)[] _orders = [];
    private Thread[]? _workers;
    private CancellationTokenSource? _stopWorkers;
    private int _generation;
    private long _nextClaim, _nextProduce;
    private bool _disposed;

    /// <param name="owner">Named in <see cref="ObjectDisposedException"/>s.</param>
    /// <param name="options">Workers, prefetch, epochs, shuffle.</param>
    /// <param name="samples">Samples per epoch.</param>
    /// <param name="length">Batches per epoch.</param>
    /// <param name="seed">The run's seed (the epoch orders').</param>
    /// <param name="build">Builds (epoch, batch index, the epoch's order); honours the token between samples.</param>
    /// <param name="epochDelivered">Called on the consumer thread that took an epoch's last batch.</param>
    public BatchLoader(object owner, FlowOptions options, int samples, int length, ulong seed,
        Func<int, int, int[], CancellationToken, Batch<T>> build, Action<int> epochDelivered)
    {
        _owner = owner;
        _options = options;
        _samples = samples;
        _length = length;
        _seed = seed;
        _build = build;
        _epochDelivered = epochDelivered;
    }

    /// <summary>The order in which <paramref name="epoch"/> visits the dataset (cached for the two latest epochs).</summary>
    public int[] Order(int epoch)
    {
        lock (_orderGate)
        {
            foreach (var (e, order) in _orders)
                if (e == epoch) return order;
            var fresh = _options.Shuffle
                ? Permutation.Of(_samples, StreamKeys.EpochShuffle(_seed, epoch))
                : Enumerable.Range(0, _samples).ToArray();
            // Keep the two most recent epochs: consumers straddle an epoch boundary, never more.
            _orders = _orders.Length == 0 ? [(epoch, fresh)] : [_orders[^1], (epoch, fresh)];
            return fresh;
        }
    }

    /// <summary>The next batch in sequence, false once the epochs are done. On cancellation the claimed batch is given
    /// back (nothing is lost or repeated) and <see cref="OperationCanceledException"/> is thrown.</summary>
    public bool TryNext(out Batch<T>? batch, CancellationToken cancellationToken)
    {
        long seq;
        (Batch<T>? Batch, ExceptionDispatchInfo? Error) result = default;
        // Registered outside the lock: disposing a registration waits for its callback, which takes the lock.
        using var wake = cancellationToken.CanBeCanceled ? cancellationToken.Register(static s => ((BatchLoader<T>)s!).Wake(), this) : default;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, _owner);
            cancellationToken.ThrowIfCancellationRequested();
            if (_givenBack.Count > 0)
            {
                seq = _givenBack.Min;
                _givenBack.Remove(seq);
            }
            else if (Exhausted(_nextClaim))
            {
                batch = null;
                return false;
            }
            else seq = _nextClaim++;
            if (_options.Workers > 0)
            {
                while (!_ready.Remove(seq, out result))
                {
                    if (_disposed || cancellationToken.IsCancellationRequested)
                    {
                        _givenBack.Add(seq);
                        ObjectDisposedException.ThrowIf(_disposed, _owner);
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    StartWorkersIfStopped();
                    Monitor.PulseAll(_gate);
                    Monitor.Wait(_gate);
                }
                Monitor.PulseAll(_gate); // a prefetch slot is free
            }
        }
        if (_options.Workers == 0)
        {
            try
            {
                result = (Build(seq, cancellationToken), null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                lock (_gate) _givenBack.Add(seq);
                throw;
            }
            catch (Exception e)
            {
                result = (null, ExceptionDispatchInfo.Capture(e));
            }
        }
        Delivered(seq);
        result.Error?.Throw();
        batch = result.Batch!;
        return true;
    }

    private Batch<T> Build(long seq, CancellationToken cancellationToken)
    {
        int epoch = (int)(seq / _length);
        return _build(epoch, (int)(seq % _length), Order(epoch), cancellationToken);
    }

    private void Wake()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }

    private bool Exhausted(long seq) => _length == 0 || (_options.Epochs is { } e && seq >= (long)e * _length);

    private void StartWorkersIfStopped()
    {
        if (_workers is not null) return;
        int generation = ++_generation;
        var stop = _stopWorkers = new CancellationTokenSource();
        var threads = new Thread[_options.Workers];
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(() => WorkerLoop(generation, stop.Token)) { IsBackground = true, Name = $"mirage-batch-{i}" };
            threads[i].Start();
        }
        _workers = threads;
    }

    private bool HasWork => _rebuild.Count > 0 || (!Exhausted(_nextProduce) && _nextProduce < _nextClaim + _options.Prefetch);

    private void WorkerLoop(int generation, CancellationToken stop)
    {
        while (true)
        {
            long seq;
            lock (_gate)
            {
                while (!_disposed && generation == _generation && !HasWork) Monitor.Wait(_gate);
                if (_disposed || generation != _generation) return;
                if (_rebuild.Count > 0)
                {
                    seq = _rebuild.Min;
                    _rebuild.Remove(seq);
                }
                else seq = _nextProduce++;
            }
            (Batch<T>? Batch, ExceptionDispatchInfo? Error) result;
            try
            {
                result = (Build(seq, stop), null);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                lock (_gate) _rebuild.Add(seq);
                return;
            }
            catch (Exception e)
            {
                result = (null, ExceptionDispatchInfo.Capture(e));
            }
            lock (_gate)
            {
                if (_disposed)
                {
                    result.Batch?.Dispose();
                    return;
                }
                _ready[seq] = result;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// Stops the workers (a batch in the middle of being built is abandoned and built again later) and returns the
    /// batches they built ahead that nobody has claimed to the pool. The next claim starts them again, so the batches
    /// that follow are the same ones, with the same bytes.
    /// </summary>
    public void StopWorkers()
    {
        Thread[]? workers;
        CancellationTokenSource? stop;
        lock (_gate)
        {
            workers = _workers;
            stop = _stopWorkers;
            if (workers is null) return;
            _workers = null;
            _stopWorkers = null;
            _generation++;
            Monitor.PulseAll(_gate);
        }
        stop!.Cancel();
        foreach (var t in workers) t.Join();
        stop.Dispose();
        lock (_gate)
        {
            if (_workers is not null || _disposed) return; // started again meanwhile: its prefetch is in use
            // Unclaimed batches, and those given back by cancelled consumers, go back to the pool; they are built again
            // when asked for (the unclaimed from _nextProduce, the given back from _rebuild). Batches a consumer is
            // waiting for stay.
            foreach (var seq in _ready.Keys.Where(s => s >= _nextClaim || _givenBack.Contains(s)).ToArray())
            {
                _ready.Remove(seq, out var dropped);
                dropped.Batch?.Dispose();
                if (seq < _nextClaim) _rebuild.Add(seq);
            }
            _rebuild.RemoveWhere(s => s >= _nextClaim);
            _nextProduce = Math.Min(_nextProduce, _nextClaim);
        }
    }

    private void Delivered(long seq)
    {
        int epoch = (int)(seq / _length);
        bool ended;
        lock (_deliveredPerEpoch)
        {
            _deliveredPerEpoch.TryGetValue(epoch, out int n);
            ended = ++n == _length;
            if (ended) _deliveredPerEpoch.Remove(epoch);
            else _deliveredPerEpoch[epoch] = n;
        }
        if (ended) _epochDelivered(epoch);
    }

    /// <summary>Stops the workers (cancelling the batch in hand) and returns the batches built ahead to the pool.</summary>
    public void Dispose()
    {
        Thread[]? workers;
        CancellationTokenSource? stop;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            workers = _workers;
            stop = _stopWorkers;
            _workers = null;
            _stopWorkers = null;
            Monitor.PulseAll(_gate);
        }
        stop?.Cancel();
        if (workers is not null) foreach (var t in workers) t.Join();
        stop?.Dispose();
        lock (_gate)
        {
            foreach (var r in _ready.Values) r.Batch?.Dispose();
            _ready.Clear();
        }
    }
}

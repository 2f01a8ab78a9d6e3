namespace Timonel.ApiServer.Overload;

/// <summary>
/// Upstream's max-in-flight filter (apiserver/pkg/server/filters/maxinflight.go): two pools of slots, one for reads
/// (get, list, watch) and one for every other verb; a request that finds its pool full is refused at once (no queue),
/// unless its user is in system:masters, which upstream always serves ("a super-admin or a loopback connection").
/// </summary>
public sealed class InflightLimiter(int maxReadOnly, int maxMutating)
{
    private int _readOnly;
    private int _mutating;

    public int ReadOnlyInFlight => Volatile.Read(ref _readOnly);

    public int MutatingInFlight => Volatile.Read(ref _mutating);

    /// <summary>A slot for the request, released when disposed; null when the pool is full.</summary>
    public Slot? TryEnter(string verb)
    {
        var mutating = verb is not ("get" or "list" or "watch");
        var max = mutating ? maxMutating : maxReadOnly;
        if (max <= 0)
        {
            return new Slot(this, null);
        }

        ref var count = ref mutating ? ref _mutating : ref _readOnly;
        if (Interlocked.Increment(ref count) > max)
        {
            Interlocked.Decrement(ref count);
            return null;
        }

        return new Slot(this, mutating);
    }

    /// <summary>A held slot; disposing releases it once.</summary>
    public sealed class Slot : IDisposable
    {
        private readonly InflightLimiter _owner;
        private bool? _mutating;

        internal Slot(InflightLimiter owner, bool? mutating)
        {
            _owner = owner;
            _mutating = mutating;
        }

        public void Dispose()
        {
            if (_mutating is { } mutating)
            {
                _mutating = null;
                if (mutating)
                {
                    Interlocked.Decrement(ref _owner._mutating);
                }
                else
                {
                    Interlocked.Decrement(ref _owner._readOnly);
                }
            }
        }
    }
}

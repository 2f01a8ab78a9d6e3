namespace Timonel.Controllers.ReplicaSet;

/// <summary>A slow-start batch stopped at a failure, after <see cref="Succeeded"/> calls had succeeded.</summary>
internal sealed class SlowStartException : Exception
{
    public SlowStartException(int succeeded, Exception inner)
        : base(inner.Message, inner) => Succeeded = succeeded;

    public int Succeeded { get; }
}

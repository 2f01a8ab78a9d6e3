namespace Timonel.Scheduler;

/// <summary>The cluster has no node at all (upstream ErrNoNodesAvailable).</summary>
public sealed class NoNodesAvailableException : Exception
{
    public NoNodesAvailableException()
        : base("no nodes available to schedule pods")
    {
    }

    public NoNodesAvailableException(string message)
        : base(message)
    {
    }

    public NoNodesAvailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

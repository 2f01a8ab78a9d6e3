namespace Timonel.Kustomize;

/// <summary>A build error; the message is the text kustomize prints for the same failure where we know it.</summary>
public sealed class KustomizeException : Exception
{
    public KustomizeException()
    {
    }

    public KustomizeException(string message)
        : base(message)
    {
    }

    public KustomizeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

namespace Timonel.Api.Validation;

/// <summary>Thrown when an object fails validation; carries the 422 status to send back.</summary>
public sealed class InvalidObjectException : Exception
{
    /// <summary>Wraps <paramref name="status"/>; the exception message is the status message.</summary>
    public InvalidObjectException(InvalidStatus status)
        : base(status.Message) => Status = status;

    /// <summary>The status to return to the client.</summary>
    public InvalidStatus Status { get; }
}

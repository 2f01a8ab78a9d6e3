using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler;

/// <summary>A plugin failed with an error (not a rejection) during the scheduling algorithm.</summary>
public sealed class SchedulingException : Exception
{
    public SchedulingException(Status status)
        : base(status.Message, status.Error)
    {
        Status = status;
    }

    public SchedulingException()
        : this(Status.New(Code.Error))
    {
    }

    public SchedulingException(string message)
        : this(Status.New(Code.Error, message))
    {
    }

    public SchedulingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = Status.AsStatus(innerException);
    }

    public Status Status { get; }
}

namespace Timonel.Scheduler.Framework;

/// <summary>What a plugin's answer means (upstream framework/interface.go Code).</summary>
public enum Code
{
    /// <summary>The plugin ran and the pod may go on.</summary>
    Success,

    /// <summary>An internal error: the pod goes to the backoff queue, not to the unschedulable pods.</summary>
    Error,

    /// <summary>The pod does not fit now; preemption might help.</summary>
    Unschedulable,

    /// <summary>The pod does not fit and preemption would not help (a node label, a taint).</summary>
    UnschedulableAndUnresolvable,

    /// <summary>A Permit plugin asks the binding to wait.</summary>
    Wait,

    /// <summary>From PreFilter or PreScore: the plugin has nothing to do for this pod; its Filter or Score is skipped.</summary>
    Skip,

    /// <summary>The pod waits for something outside the scheduler (upstream's Pending).</summary>
    Pending,
}

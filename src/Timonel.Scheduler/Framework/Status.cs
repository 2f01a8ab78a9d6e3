namespace Timonel.Scheduler.Framework;

/// <summary>
/// A plugin's answer (upstream framework/interface.go Status): a code, the reasons shown to users (each counted in
/// the "0/N nodes are available" message), the plugin that failed the pod, and for errors the exception.
/// </summary>
public sealed class Status
{
    private Status(Code code, IReadOnlyList<string> reasons, string? plugin, Exception? error)
    {
        Code = code;
        Reasons = reasons;
        Plugin = plugin;
        Error = error;
    }

    public static Status Success { get; } = new(Code.Success, [], null, null);

    public static Status Skip { get; } = new(Code.Skip, [], null, null);

    public Code Code { get; }

    public IReadOnlyList<string> Reasons { get; }

    /// <summary>The plugin that returned the status (set by the framework).</summary>
    public string? Plugin { get; }

    public Exception? Error { get; }

    public bool IsSuccess => Code == Code.Success;

    public bool IsSkip => Code == Code.Skip;

    public bool IsWait => Code == Code.Wait;

    /// <summary>The pod was rejected (upstream's IsRejected): it does not fit, as opposed to an error.</summary>
    public bool IsRejected => Code is Code.Unschedulable or Code.UnschedulableAndUnresolvable or Code.Pending;

    /// <summary>The reasons joined by ", " (upstream's Message()).</summary>
    public string Message => string.Join(", ", Reasons);

    public static Status New(Code code, params string[] reasons) => new(code, reasons, null, null);

    public static Status Unschedulable(params string[] reasons) => New(Code.Unschedulable, reasons);

    public static Status UnschedulableAndUnresolvable(params string[] reasons) => New(Code.UnschedulableAndUnresolvable, reasons);

    /// <summary>An error status whose message is the exception's (upstream's AsStatus).</summary>
    public static Status AsStatus(Exception error) => new(Code.Error, [error.Message], null, error);

    public Status WithPlugin(string plugin) => plugin == Plugin ? this : new(Code, Reasons, plugin, Error);

    public override string ToString() => Plugin is null ? $"{Code}: {Message}" : $"{Code} ({Plugin}): {Message}";
}

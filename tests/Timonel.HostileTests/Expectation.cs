namespace Timonel.HostileTests;

/// <summary>
/// What upstream kube-apiserver v1.32 answers a case: the HTTP code, and for answers its handlers write, the Status
/// reason and a fragment of the message (null when the text is not pinned). <see cref="PlainText"/> marks answers Go's
/// net/http writes itself before any handler runs (a malformed request line, a header block over the limit): plain
/// text, no Status.
/// </summary>
internal sealed record Expectation(int Code, string? Reason = null, string? Message = null)
{
    public bool PlainText { get; init; }

    /// <summary>
    /// A second fragment the message must also hold, for texts whose middle is not pinned (encoding/json names the
    /// field as "Go value" or "Go struct field &lt;Struct&gt;.&lt;path&gt;" depending on where the error gets its context).
    /// </summary>
    public string? AlsoMessage { get; init; }

    public static Expectation BadRequest(string? message = null) => new(400, "BadRequest", message);

    public static Expectation Invalid(string? message = null) => new(422, "Invalid", message);

    public static Expectation NotFound(string? message = null) => new(404, "NotFound", message);

    public static Expectation Conflict(string? message = null) => new(409, "Conflict", message);

    /// <summary>Accepted: only ever sent with dryRun=All, so an accepted case leaves the store as it was.</summary>
    public static Expectation Created { get; } = new(201);

    public static Expectation Ok { get; } = new(200);

    /// <summary>Go's net/http answer to a request it cannot parse, written before any Kubernetes handler.</summary>
    public static Expectation GoPlain(int code) => new(code) { PlainText = true };

    public override string ToString() => Reason is null ? $"{Code}" : $"{Code} {Reason}" + (Message is null ? "" : $" \"{Message}\"") + (AlsoMessage is null ? "" : $" \"{AlsoMessage}\"");
}

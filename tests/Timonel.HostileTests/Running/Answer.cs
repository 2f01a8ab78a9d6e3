namespace Timonel.HostileTests.Running;

/// <summary>What the server sent back to one case: the HTTP code and body text, or null when no answer came.</summary>
internal sealed record Answer(int? Code, string Body)
{
    public static Answer None(string why) => new(null, why);

    public override string ToString() => Code is null ? "no answer: " + Body : $"{Code} {HostileCase.Excerpt(Body, 300)}";
}

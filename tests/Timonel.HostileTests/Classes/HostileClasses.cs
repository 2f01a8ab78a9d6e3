namespace Timonel.HostileTests.Classes;

/// <summary>Every class of the suite, in run order; a class's place seeds its random source.</summary>
internal static class HostileClasses
{
    public static IReadOnlyList<HostileClass> All { get; } =
    [
        new TypeConfusionClass(), new HugeNumberClass(), new FlexibleScalarClass(), new Base64Class(), new TruncationClass(), new DeepNestingClass(),
        new TextEncodingClass(), new DuplicateKeysClass(), new JsonPatchClass(), new MergePatchClass(), new ApplyPatchClass(), new DeleteOptionsClass(),
        new ListOptionsClass(), new PathClass(), new HeaderClass(), new FramingClass(), new WriteOptionsClass(),
    ];
}

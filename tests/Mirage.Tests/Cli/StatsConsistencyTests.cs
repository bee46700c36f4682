using Mirage.Cli.Commands;
using Mirage.Tests.Codecs;
using Mirage.Tests.Data;

namespace Mirage.Tests.Cli;

/// <summary>stats takes the options the other folder commands take (--follow-links), logs the symlink cycles it does
/// not enter, and reads every format preview reads (GIF included).</summary>
public class StatsConsistencyTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = StatsCommand.Create(output, errors).Parse(args).Invoke();
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void FollowLinksEntersLinkedFoldersAndLogsCycles()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["tree/a"]);
        Directory.CreateDirectory(t["elsewhere"]);
        File.Copy(CodecFixtures.PathOf("rgb.png"), t["tree/a/x.png"]);
        File.Copy(CodecFixtures.PathOf("anim.gif"), t["tree/a/y.gif"]);
        File.Copy(CodecFixtures.PathOf("rgb.png"), t["elsewhere/z.png"]);
        Directory.CreateSymbolicLink(t["tree/a/linked"], t["elsewhere"]);
        Directory.CreateSymbolicLink(t["tree/a/loop"], t["tree"]);

        var plain = Run(t["tree"]);
        Assert.Equal(0, plain.Code);
        Assert.Contains("images: 2 ", plain.Out); // x.png and y.gif; links not entered
        Assert.DoesNotContain("not following", plain.Err);

        var follow = Run(t["tree"], "--follow-links");
        Assert.Equal(0, follow.Code);
        Assert.Contains("images: 3 ", follow.Out);
        Assert.Contains($"not following '{t["tree/a/loop"]}'", follow.Err);
    }
}

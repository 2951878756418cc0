package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * What a newcomer and a first-time deployer read must keep saying what they need (issue 10): the README's
 * first screen, the local DynamoDB example, the Google console's blockers, the guided deploy's prompts, the
 * {@code sam local} limitation, and a BENCHMARKS.md whose commits exist and whose function count is the
 * template's.
 */
class DocumentationTest {
    static final Path ROOT = ApiTemplate.find(Path.of("")).toAbsolutePath().getParent();

    static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8);
    }

    /** The text of a README section: from its heading to the next heading of the same or a higher level. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("README has the section " + heading).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        Matcher next = Pattern.compile("\n#{1," + (level.length() - 1) + "} ").matcher(markdown);
        int end = next.find(start + heading.length() + 1) ? next.start() : markdown.length();
        return markdown.substring(start, end);
    }

    @Test
    void readmeFirstScreen_saysWhatItIs_theTwoCommands_andTheirPrerequisites() throws IOException {
        String readme = read("README.md");
        String firstScreen = readme.substring(0, readme.indexOf("\n## "));

        assertThat(firstScreen).contains("Google login", "./dev ", "mvn -B verify ", "JDK 25", "Maven",
                "JAVA_HOME", "moto_server", "chromium", "chromedriver", "pip install 'moto[server]'",
                "apt-get install chromium chromium-driver");
        // The test command's own comment names the peers it needs.
        assertThat(firstScreen.lines().filter(l -> l.startsWith("mvn -B verify"))).singleElement()
                .asString().contains("moto_server", "chromium", "chromedriver");
        assertThat(firstScreen.lines().count()).as("fits a screen").isLessThanOrEqualTo(20);
        assertThat(firstScreen).doesNotContain("payload 2.0", "requestContext");
        String whatYouSee = section(readme, "## What you'll see");
        assertThat(readme.indexOf("### How `./dev` plays API Gateway")).as("API Gateway details further down")
                .isGreaterThan(readme.indexOf(whatYouSee) + whatYouSee.length());
    }

    @Test
    void readmeLocalDynamoDbExample_isLiteral_andConsistent() throws IOException {
        String readme = read("README.md");
        Matcher moto = Pattern.compile("\nmoto_server -p (\\d+) &\n").matcher(readme);
        assertThat(moto.find()).as("a literal moto_server line").isTrue();
        Matcher run = Pattern.compile("\nDYNAMODB_ENDPOINT=http://127\\.0\\.0\\.1:(\\d+) SESSION_SECRET=(\\S+) \\./dev\n")
                .matcher(readme);
        assertThat(run.find()).as("a literal ./dev line with the endpoint and a fixed secret").isTrue();
        assertThat(run.group(1)).as("the same port").isEqualTo(moto.group(1));
        assertThat(run.group(2).length()).as("a SESSION_SECRET Config accepts").isGreaterThanOrEqualTo(32);
    }

    @Test
    void deploying_namesTheConsentScreensBlockers_andTroubleshootingHasARowForEach() throws IOException {
        String readme = read("README.md");
        String deploying = section(readme, "## Deploying to AWS");
        assertThat(deploying).contains("Testing", "test users", "access_denied", "In production", "Publish app",
                "custom domain", "PublicBaseUrl", "execute-api.amazonaws.com", "Search Console");
        String troubleshooting = section(readme, "## Troubleshooting");
        assertThat(troubleshooting.lines().filter(l -> l.startsWith("| Google says `access_denied`")))
                .singleElement().asString().contains("Testing", "test user", "Publish app");
        assertThat(troubleshooting.lines().filter(l -> l.contains("verif") && l.contains("custom domain")))
                .singleElement().asString().contains("PublicBaseUrl");
    }

    @Test
    void guidedDeploy_saysExactlyWhatToTypeForBothSecretPaths() throws IOException {
        String deploying = section(read("README.md"), "## Deploying to AWS");
        assertThat(deploying).contains("sam deploy --guided", "`GoogleClientId`", "at `GoogleClientSecret`",
                "type a single `-` at `GoogleClientSecret`", "at `GoogleClientSecretArn`", "-XXXXXX");
        // The template agrees: "-" is how the guided deploy says "no secret here" (.ci/check-template
        // evaluates the Rules for both paths).
        assertThat(read("template.yaml")).contains("!Equals [!Ref GoogleClientSecret, '-']");
    }

    @Test
    void samLocal_limitationWithTheAuthorizer_isDocumentedNextToTheCommand() throws IOException {
        String samLocal = section(read("README.md"), "### With the SAM CLI: `sam local start-api`");
        assertThat(samLocal).contains("Unable to", "parse the Lambda ARN for Authorizer", "without their authorizer",
                "./dev", "sam local start-api --env-vars env.json");
        assertThat(read("template.yaml").lines().filter(l -> l.startsWith("#")).toList().toString())
                .contains("WITHOUT the", "./dev");
    }

    @Test
    void benchmarks_nameOnlyCommitsThatExist_andTheTemplatesFunctionCount() throws Exception {
        String benchmarks = read("BENCHMARKS.md");
        List<String> shas = Pattern.compile("(?<![0-9a-zA-Z])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}(?![0-9a-zA-Z])")
                .matcher(benchmarks).results().map(java.util.regex.MatchResult::group).distinct().toList();
        assertThat(shas).as("BENCHMARKS.md names the commits it measured").isNotEmpty();
        for (String sha : shas) {
            // In this checkout's history, not merely in the object store: a fresh clone has only that.
            Process git = new ProcessBuilder("git", "-C", ROOT.toString(), "merge-base", "--is-ancestor", sha, "HEAD")
                    .redirectErrorStream(true).start();
            assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(git.exitValue()).as("commit " + sha + " named in BENCHMARKS.md is in this repository's history: "
                    + new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        }
        long functions = ApiTemplate.read(ROOT.resolve("template.yaml")).functions().size();
        Matcher share = Pattern.compile("all (\\w+) functions share it").matcher(benchmarks);
        assertThat(share.find()).as("BENCHMARKS.md says how many functions share the zip").isTrue();
        assertThat(share.group(1)).isEqualTo(Words.of(functions));
        assertThat(benchmarks).contains("./bench cold", "./bench snapstart", "./bench jmh", "./bench size");
        assertThat(benchmarks).doesNotContain("this branch");
    }

    /** Small numbers as BENCHMARKS.md writes them. */
    private static final class Words {
        static String of(long n) {
            return List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                    "eleven", "twelve", "thirteen").get((int) n);
        }
    }
}

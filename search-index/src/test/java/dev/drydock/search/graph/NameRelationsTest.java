package dev.drydock.search.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class NameRelationsTest {
    private static final ToIntFunction<String> RARE = name -> 2;

    private static String key(String path) {
        return "repo\0" + path;
    }

    @Test
    void shouldRelateNamesakeInAnotherFolderWhenFewFilesHaveThatName() {
        // Given: the servlet and the reactive variant of one utility
        List<String> head = List.of(key("web/a/Other.java"), key("webmvc/resource/ResourceHandlerUtils.java"));
        String twin = key("webflux/resource/ResourceHandlerUtils.java");

        // When
        boolean related = NameRelations.related(twin, head, RARE);
        boolean common = NameRelations.related(twin, head, Map.of("ResourceHandlerUtils.java", 4)::get);

        // Then
        assertThat(related).isTrue();
        assertThat(common)
                .as("a name held by more than %d files relates nothing", NameRelations.MAX_NAMESAKES)
                .isFalse();
    }

    @Test
    void shouldNotRelateFileToItself() {
        // Given
        String file = key("webmvc/resource/ResourceHandlerUtils.java");

        // When
        boolean related = NameRelations.related(file, List.of(file), RARE);

        // Then
        assertThat(related).isFalse();
    }

    @Test
    void shouldRelateSiblingOnlyOfTheHeadsFirstFiles() {
        // Given
        String sibling = key("webmvc/ExtendedServletRequestDataBinder.java");
        List<String> first = List.of(key("web/bind/ServletRequestDataBinder.java"));
        List<String> fourth = List.of(
                key("a/A.java"), key("b/B.java"), key("c/C.java"), key("web/bind/ServletRequestDataBinder.java"));

        // When
        boolean nearTop = NameRelations.related(sibling, first, RARE);
        boolean deeper = NameRelations.related(sibling, fourth, RARE);

        // Then
        assertThat(nearTop).isTrue();
        assertThat(deeper).isFalse();
    }

    @Test
    void shouldCallNamesSiblingsWhenEnoughLeadingOrTrailingWordsAreShared() {
        assertThat(NameRelations.siblings("ServletRequestDataBinder.java", "ExtendedServletRequestDataBinder.java"))
                .isTrue();
        assertThat(NameRelations.siblings("ExecutorBeanDefinitionParser.java", "SchedulerBeanDefinitionParser.java"))
                .isTrue();
        assertThat(NameRelations.siblings("user_service.py", "user_service_factory.py"))
                .isTrue();
        assertThat(NameRelations.siblings("order-store.ts", "order-store-cache.ts"))
                .isTrue();
        assertThat(NameRelations.siblings("DataBinder.java", "WebDataBinder.java"))
                .isTrue();
        // one shared word, different extensions, too little of the longer name, the same name
        assertThat(NameRelations.siblings("DataBinder.java", "DataSource.java")).isFalse();
        assertThat(NameRelations.siblings("user_service.py", "user_service.ts")).isFalse();
        assertThat(NameRelations.siblings(
                        "AbstractBeanFactory.java", "AbstractBeanFactoryAwareAdvisingPostProcessor.java"))
                .isFalse();
        assertThat(NameRelations.siblings("RestTemplate.java", "RestTemplate.java"))
                .isFalse();
    }

    @Test
    void shouldSplitNamesIntoLowerCaseWordsWhateverTheirCase() {
        assertThat(NameRelations.words("HTTPHeaderParser.java")).containsExactly("http", "header", "parser");
        assertThat(NameRelations.words("snake_case-and-kebab.py")).containsExactly("snake", "case", "and", "kebab");
        assertThat(NameRelations.words(".gitignore")).containsExactly("gitignore");
        assertThat(NameRelations.fileName("repo\0src/a/B.java")).isEqualTo("B.java");
        assertThat(NameRelations.fileName("repo\0README.md")).isEqualTo("README.md");
    }
}

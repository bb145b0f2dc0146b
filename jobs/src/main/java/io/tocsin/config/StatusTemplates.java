package io.tocsin.config;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheResolver;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;

/**
 * Compiles status update templates (Mustache, mustache.java). The same compiler checks a template
 * when the policy is read and builds it again in each task, so a template that loads is a template
 * that renders.
 *
 * <p>Updates are plain text (email, SMS, chat, a status page's text field), so values are written
 * as they are, not HTML-escaped. Partials ({@code {{> name}}}) are refused: a template could
 * otherwise read any file on the job's class path or disk into a customer-facing update.
 */
public final class StatusTemplates {

    private StatusTemplates() {}

    /** The reason a template does not compile, or null when it does. */
    public static String problem(String name, String text) {
        try {
            compile(name, text);
            return null;
        } catch (MustacheException e) {
            return e.getMessage();
        }
    }

    /**
     * The compiled template.
     *
     * @throws MustacheException when it does not compile
     */
    public static Mustache compile(String name, String text) {
        return new PlainTextFactory().compile(new StringReader(text), name);
    }

    private static final class PlainTextFactory extends DefaultMustacheFactory {
        PlainTextFactory() {
            super(new NoPartials());
        }

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (java.io.IOException e) {
                throw new MustacheException("cannot write: " + e.getMessage(), e);
            }
        }
    }

    private static final class NoPartials implements MustacheResolver {
        @Override
        public Reader getReader(String resourceName) {
            throw new MustacheException(
                    "partials are not allowed in status templates ({{> " + resourceName + "}})");
        }
    }
}

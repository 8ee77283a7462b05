// /app/manage: what an administrator sets up, one link per kind of thing.
import { useI18n } from '../../i18n/index.js';
import { Page } from '../../ui/components.jsx';
import { sections } from './sections.js';
import './shared.jsx';

export default function ManageHub() {
  const { t } = useI18n();
  return (
    <Page title={t('manage.hub.title')} wide>
      <p class="lead">{t('manage.hub.intro')}</p>
      <ul class="manage-hub">
        {sections.map((section) => (
          <li>
            <a href={`/app/manage/${section}`}>
              <span class="manage-hub-name">{t(`manage.${section}.title`)}</span>
              <span class="manage-hub-about">{t(`manage.${section}.about`)}</span>
            </a>
          </li>
        ))}
      </ul>
    </Page>
  );
}
